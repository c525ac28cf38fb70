#!/usr/bin/env python3
"""Writes hashlib.json: digests of every length 0..200 of a fixed byte pattern, computed by
Python's hashlib (an independent implementation) for SHA-1, SHA-256, SHA-512 and MD5, and
HMAC-SHA256 with a 600-byte message (the size of a typical webhook)."""
import hashlib, hmac, json, os

pattern = lambda n: bytes((i * 31 + 7) & 0xFF for i in range(n))
out = {"lengths": []}
for n in range(201):
    data = pattern(n)
    out["lengths"].append({name: hashlib.new(name, data).hexdigest() for name in ["sha1", "sha256", "sha512", "md5"]})
out["hmac_sha256_600"] = hmac.new(b"key-for-webhooks", pattern(600), hashlib.sha256).hexdigest()
with open(os.path.join(os.path.dirname(__file__), "hashlib.json"), "w") as f:
    json.dump(out, f, indent=0)
