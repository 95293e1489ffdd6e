/*
 * pvboot's mbedTLS 3.6 configuration: only what pvboot and its test tools use.
 *
 * pvboot itself needs SHA-256 (secret ids, policy references), Base64 (PEM output)
 * and, for the owner's user-data signatures (src/usersig.c), SHA-512, X.509 and public
 * key parsing (PEM and DER), ECDSA verification on secp521r1 and RSASSA-PSS (PKCS#1
 * v2.1) verification. The simulator and mkasr additionally need P-521 ECDH,
 * AES-256-GCM, HKDF-SHA512 and signing. The release binary is linked with
 * --gc-sections, so what only the test tools use never reaches it.
 */
#ifndef PVBOOT_MBEDTLS_CONFIG_H
#define PVBOOT_MBEDTLS_CONFIG_H

/* hashes */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HKDF_C

/* AES-256-GCM */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_C
#define MBEDTLS_GCM_C

/* P-521 ECDH */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C /* user-data signatures (EC secp521r1) */
/* mkasr signs deterministically (RFC 6979), so scenario goldens stay byte-stable */
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C

/* keys and host-key documents */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_PARSE_EC_EXTENDED
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21 /* RSASSA-PSS user-data signatures */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C

#endif
