/* minzheng host — the office's Ed25519 signing key for audit checkpoints.
 *
 * The secret key file holds the 32-byte seed in base64 under a header
 * line; the public key file (KEY.pub) holds the public key the same way.
 * The secret file must be private to its owner: a key the whole machine
 * can read proves nothing about who signed.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define SECRET_HEADER "minzheng-ed25519-secret-v1"
#define PUBLIC_HEADER "minzheng-ed25519-public-v1"

char *
mz_audit_key_id (const guint8 public_key[crypto_sign_PUBLICKEYBYTES])
{
  guint8 digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, public_key, crypto_sign_PUBLICKEYBYTES);
  return mz_audit_hex (digest, MZ_AUDIT_KEY_ID_SIZE);
}

/* Parses "HEADER\n<base64>\n" into exactly @len bytes. */
static gboolean
parse_key_text (const char *path,
                const char *text,
                const char *header,
                guint8     *out,
                gsize       len,
                GError    **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", 3);
  g_autofree guint8 *decoded = NULL;
  gsize decoded_len = 0;

  if (lines[0] == NULL || strcmp (g_strstrip (lines[0]), header) != 0 || lines[1] == NULL)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "密钥文件 %s 不是 minzheng 的密钥（首行应为 %s） [audit.key.format]",
                   path, header);
      return FALSE;
    }
  decoded = g_base64_decode (g_strstrip (lines[1]), &decoded_len);
  if (decoded_len != len)
    {
      sodium_memzero (decoded, decoded_len);
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "密钥文件 %s 的密钥长度为 %" G_GSIZE_FORMAT " 字节，应为 %" G_GSIZE_FORMAT " 字节 [audit.key.format]",
                   path, decoded_len, len);
      return FALSE;
    }
  memcpy (out, decoded, len);
  sodium_memzero (decoded, decoded_len);
  return TRUE;
}

static gboolean
write_file_exclusive (const char *path,
                      const char *text,
                      int         mode,
                      GError    **error)
{
  gsize len = strlen (text);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法创建密钥文件 %s：%s [audit.key.create]", path, g_strerror (saved));
      return FALSE;
    }
  if (write (fd, text, len) != (gssize) len || fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      g_unlink (path);
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法写入密钥文件 %s：%s [audit.key.create]", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* The public key file is written, or checked against the secret key when
 * it exists, so that a verifier holding only KEY.pub checks the right key. */
static gboolean
ensure_public_file (const char   *path,
                    const guint8 *public_key,
                    GError      **error)
{
  g_autofree char *pub_path = g_strconcat (path, ".pub", NULL);
  g_autofree char *b64 = g_base64_encode (public_key, crypto_sign_PUBLICKEYBYTES);
  g_autofree char *text = g_strdup_printf ("%s\n%s\n", PUBLIC_HEADER, b64);
  guint8 existing[crypto_sign_PUBLICKEYBYTES];

  if (!g_file_test (pub_path, G_FILE_TEST_EXISTS))
    return write_file_exclusive (pub_path, text, 0644, error);
  if (!mz_audit_public_key_read (pub_path, existing, error))
    return FALSE;
  if (sodium_memcmp (existing, public_key, sizeof existing) != 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "公钥文件 %s 与私钥 %s 不是一对 [audit.key.mismatch]", pub_path, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_key (const char *path,
            guint8     *secret_key,
            guint8     *public_key,
            GError    **error)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  g_autofree char *b64 = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  randombytes_buf (seed, sizeof seed);
  crypto_sign_seed_keypair (public_key, secret_key, seed);
  b64 = g_base64_encode (seed, sizeof seed);
  sodium_memzero (seed, sizeof seed);
  text = g_strdup_printf ("%s\n%s\n", SECRET_HEADER, b64);
  sodium_memzero (b64, strlen (b64));
  ok = write_file_exclusive (path, text, 0600, error);
  sodium_memzero (text, strlen (text));
  return ok;
}

gboolean
mz_audit_key_load (const char *path,
                   guint8      secret_key[crypto_sign_SECRETKEYBYTES],
                   guint8      public_key[crypto_sign_PUBLICKEYBYTES],
                   GError    **error)
{
  GStatBuf st;
  g_autofree char *text = NULL;
  gsize len = 0;
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      if (errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                       "无法读取密钥文件 %s：%s [audit.key.read]", path, g_strerror (saved));
          return FALSE;
        }
      if (!create_key (path, secret_key, public_key, error))
        return FALSE;
      return ensure_public_file (path, public_key, error);
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "密钥文件 %s 不是普通文件 [audit.key.read]", path);
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "密钥文件 %s 的权限为 %04o，同组或其他用户可以访问；请执行 chmod 600 %s 后重试 [audit.key.permissions]",
                   path, (unsigned) (st.st_mode & 07777), path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &len, NULL))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法读取密钥文件 %s [audit.key.read]", path);
      return FALSE;
    }
  ok = parse_key_text (path, text, SECRET_HEADER, seed, sizeof seed, error);
  sodium_memzero (text, len);
  if (!ok)
    return FALSE;
  crypto_sign_seed_keypair (public_key, secret_key, seed);
  sodium_memzero (seed, sizeof seed);
  return ensure_public_file (path, public_key, error);
}

gboolean
mz_audit_public_key_read (const char *path,
                          guint8      public_key[crypto_sign_PUBLICKEYBYTES],
                          GError    **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法读取公钥文件 %s [audit.key.read]", path);
      return FALSE;
    }
  return parse_key_text (path, text, PUBLIC_HEADER, public_key,
                         crypto_sign_PUBLICKEYBYTES, error);
}
