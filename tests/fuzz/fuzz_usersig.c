// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the user-data signature check of untrusted requests (asr_sig_layout,
 * usersig_verify: DER and size fields, RSA-PSS decoding) with fixed keys of each type,
 * and the key parser (the first byte 'K' selects it; a user_cert is trusted, but its
 * parser should not crash on any file either). Seeds: tests/vectors/signed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "asr.h"
#include "usersig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char owner_ec_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQA4EJOJnJFHU0jTSe90eOYcCCPq/Bo\n"
    "qFTCiO0S0XmW2dfXgXdRMffnbkVyrLsg1CfN9TPyobmOCipU/P+/W8QasuQBuIHm\n"
    "Xf9BRVIU8k+5TNz+M/T4/Lp8qJZB+yYg+HcOn6o5vC7Mi4YiOnOF54KZNUe5phr0\n"
    "4diByl1sGUIRHyoGRok=\n"
    "-----END PUBLIC KEY-----\n";
static const char rsa2048key_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5gJka8g/5fxjyCkeeODn\n"
    "s6jjmT6Ow7UZ5kYG0z4x9c/UdpVtPjxWVrFosH4rQZtDnKQF0/tdrWct1sVVa2YB\n"
    "ORutLvzHNSx5+lcbxYq0DeC0T3+/eWJxzfh0EeIME2tl/96ULY/cRk6TBfsBglKW\n"
    "GDm56GDLQmngy8BZkwc6AM1F/jVOv+MKm6e1QpRx2/34J2HMPRnrfiDM9yQ7hBdY\n"
    "poErBrwBTgZNvjX9FM4XpTlmHVB7HHit1/yHuzext8RrkQsukwpJR5Zd3stUVQzp\n"
    "NI/7/NOBHEseaIzeAYRrBgUS+VpSW4aoa0LYxWm7RsZC/GAma7LRzDus8TlHO50g\n"
    "5QIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
static const char rsa3072key_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBojANBgkqhkiG9w0BAQEFAAOCAY8AMIIBigKCAYEAnLWnPr9fOr0aJxqLux70\n"
    "cLj1w8BNM9etx1WMKLXUuI8Mygt4UJ4ImFcIE0ulZYNNyXa3UQVO4i/1IOC5jida\n"
    "BrFVo7PRzQUteLQMIsRRTCM+3gsRmhHHA4Bu63U3cAITU1jRxCcOGodR4V6GnjBd\n"
    "S4CYKT7PfM9VE2EWOMEpdws6mFBqT/cLz9qMkkHOdcLivyjgw1lKXoGMnF8sCukL\n"
    "jEzz/mtDaq7UKhbqesMt4VF8Ua4K+Enz00ee+q9SMNJv4bmB8FEXCyPDesjzSjxV\n"
    "gg94zv09YgvLmcy1ZkND8novvXd5GGtfKvjaSt7dzq2SRKN9yIRRPDJfFwI5OFf/\n"
    "Cc3yZaD09BjtSrKtHyY8VtIVOLQIgvyc+LdT21ykc4wrOtXJpgQt42FQ2kN+RYTm\n"
    "zVdh1+IOXcl3rQbE4qlT2AKCh/xJ/bVxIhwcIhOqMbo6BrXRnF4JmsYRmub/jqn4\n"
    "pZe5Yv5OnXZK9CqbsWNztbwyNIJlcRaW1BxbOCr4OQ59AgMBAAE=\n"
    "-----END PUBLIC KEY-----\n";

static struct usersig_key keys[3];
static int have_keys;

static void load_keys(void)
{
	const char *pem[3] = {owner_ec_pub, rsa2048key_pub, rsa3072key_pub};

	for (int i = 0; i < 3; i++) {
		usersig_key_init(&keys[i]);
		if (usersig_key_parse(&keys[i], (const uint8_t *)pem[i], strlen(pem[i]), NULL, 0))
			__builtin_trap();
	}
	have_keys = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asr_info a;
	struct asr_sig sig;
	char why[400];

	if (!have_keys)
		load_keys();
	if (size > 1 && data[0] == 'K') {
		struct usersig_key k;

		usersig_key_init(&k);
		if (usersig_key_parse(&k, data + 1, size - 1, why, sizeof(why)) == 0 &&
		    (k.udtype < ASR_UD_EC_P521 || k.udtype > ASR_UD_RSA_3072))
			__builtin_trap();
		usersig_key_free(&k);
		return 0;
	}
	if (asr_parse(data, size, &a, why, sizeof(why)) != ASR_OK)
		return 0;
	for (int i = 0; i < 3; i++) {
		enum usersig_err e = usersig_verify(data, &a, &keys[i], &sig, why, sizeof(why));

		/* verified: the key's own type, and the signature inside the user data */
		if (e == USERSIG_OK &&
		    (a.udtype != keys[i].udtype || sig.area_off + sig.sig_len > ASR_USERDATA_LEN))
			__builtin_trap();
	}
	return 0;
}
