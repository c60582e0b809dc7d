"""Decrypts compact JWEs with jwcrypto, a JOSE implementation independent of jose (panva).

Reads a JSON list of {"jwk": <private JWK>, "jwe": <compact JWE>} on stdin and writes a JSON
list of {"plaintext": <UTF-8 text>, "header": <protected header>} or {"error": <why not>}.
Only the algorithms of docs/protocol.md section 2 are allowed.
"""
import json
import sys

from jwcrypto import jwe, jwk

ALLOWED = ['ECDH-ES+A256KW', 'RSA-OAEP-256', 'A256GCM']


def decrypt(item):
    try:
        token = jwe.JWE(algs=ALLOWED)
        token.deserialize(item['jwe'], key=jwk.JWK(**item['jwk']))
        return {'plaintext': token.payload.decode('utf-8'), 'header': json.loads(token.objects['protected'])}
    except Exception as error:  # every failure is an answer, reported per item
        return {'error': f'{type(error).__name__}: {error}'}


json.dump([decrypt(item) for item in json.load(sys.stdin)], sys.stdout)
