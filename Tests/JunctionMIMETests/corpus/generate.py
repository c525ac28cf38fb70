#!/usr/bin/env python3
"""Generates the MIME test corpus with Python's own `email` package, an implementation
independent of JunctionMIME.

For every case in cases_*.py it writes NAME.eml (the message as Python serialises it) and
NAME.json: what a parse must yield, taken from Python's parse of those bytes with
policy=default (subject, addresses, ids, date, text and HTML bodies, attachments with size and CRC-32,
DSN fields),
plus what the case states by construction where Python has no parser (stripped reply text,
automatic-mail flags, text derived from HTML). Run it from anywhere: python3 generate.py
"""
import json
import os
import re
import sys
import zlib
from email import message_from_bytes, policy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the corpus folder free of __pycache__
import cases_basic  # noqa: E402
import cases_mail  # noqa: E402
import cases_structure  # noqa: E402


def unescape(text):
    """Python keeps raw 8-bit header bytes as surrogate escapes; raw UTF-8 is read as UTF-8."""
    if text is None:
        return None
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        return text


def addresses(msg, name):
    header = msg[name]
    if header is None:
        return []
    return [{"name": unescape(a.display_name) or None, "address": a.addr_spec}
            for a in header.addresses]


def ids(value):
    return re.findall(r"<([^>]*)>", str(value)) if value is not None else []


def normalise(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def leaves(part):
    """Leaf parts depth-first, not entering embedded messages (as JunctionMIME walks)."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from leaves(sub)
    else:
        yield part


def attachment(part):
    cid = part["Content-ID"]
    entry = {
        "filename": part.get_filename(),
        "content_type": part.get_content_type(),
        "content_id": ids(cid)[0] if cid and ids(cid) else None,
        "disposition": part.get_content_disposition(),
    }
    if part.get_content_maintype() != "message":
        data = part.get_payload(decode=True) or b""
        entry["size"] = len(data)
        entry["crc32"] = zlib.crc32(data)
    return entry


def delivery_report(msg):
    if msg.get_content_type() != "multipart/report":
        return None
    report = {"recipients": [], "original_message_id": None}
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload()[1:]:
                def field(name, strip_type=True):
                    value = block[name]
                    if value is None:
                        return None
                    value = " ".join(str(value).split())
                    return value.split(";", 1)[1].strip() if strip_type and ";" in value else value
                report["recipients"].append({
                    "final_recipient": field("Final-Recipient"),
                    "action": field("Action", False).lower(),
                    "status": field("Status", False),
                    "diagnostic_code": field("Diagnostic-Code"),
                })
        elif kind == "message/rfc822" and report["original_message_id"] is None:
            inner = part.get_payload(0)
            report["original_message_id"] = (ids(inner["Message-ID"]) or [None])[0]
        elif kind == "text/rfc822-headers":
            inner = message_from_bytes(part.get_payload(decode=True), policy=policy.default)
            report["original_message_id"] = (ids(inner["Message-ID"]) or [None])[0]
    return report


def expectations(raw, extra):
    msg = message_from_bytes(raw, policy=policy.default)
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    date = msg["Date"]
    result = {
        "subject": unescape(str(msg["Subject"])) if msg["Subject"] is not None else None,
        "from": addresses(msg, "From"),
        "to": addresses(msg, "To"),
        "cc": addresses(msg, "Cc"),
        "reply_to": addresses(msg, "Reply-To"),
        "message_id": (ids(msg["Message-ID"]) or [None])[0],
        "in_reply_to": ids(msg["In-Reply-To"]),
        "references": ids(msg["References"]),
        "date": int(date.datetime.timestamp()) if date is not None and date.datetime else None,
        "text": normalise(plain.get_content()) if plain is not None else None,
        "html": normalise(html.get_content()) if html is not None else None,
        "attachments": [attachment(p) for p in leaves(msg) if p is not plain and p is not html],
        "delivery_report": delivery_report(msg),
    }
    result.update(extra)
    return result


def main():
    names = set()
    for case in cases_basic.CASES + cases_structure.CASES + cases_mail.CASES:
        raw, extra = case()
        name = case.__name__
        assert name not in names, name
        names.add(name)
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(expectations(raw, extra), f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    print(f"wrote {len(names)} messages to {HERE}")


if __name__ == "__main__":
    main()
