"""Corpus cases: attachment names, nesting, boundaries, broken transfer encodings, headers."""
import base64
import urllib.parse
from email.message import EmailMessage
from email.mime.message import MIMEMessage

from cases_basic import CRLF, LF, PNG, RU, blob, done, encoded, new, serialise

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


LONG_NAME = "Очень длинное имя вложения с кириллицей и пробелами — договор №15 от 12.04.2024.pdf"


@case
def rfc2231_long_cyrillic_filename():
    m = new("rfc2231_long_cyrillic_filename", subject="Договор")
    m.set_content("Договор во вложении.\n")
    m.add_attachment(blob("long", 2048), "application", "pdf", filename=LONG_NAME)
    m.add_attachment(blob("short", 64), "text", "csv", filename="отчёт.csv")
    return done(m)


@case
def rfc2231_cp1251_sections():
    m = new("rfc2231_cp1251_sections", subject="Счёт")
    m.set_content("Счёт во вложении.\n")
    m.add_attachment(blob("cp", 300), "application", "vnd.ms-excel", filename="x.xls")
    part = m.get_payload()[1]
    quoted = urllib.parse.quote("Счёт на оплату за апрель 2024 года.xls", encoding="cp1251")
    half = quoted.index("%", len(quoted) // 2)
    del part["Content-Type"]
    part.set_raw("Content-Type", "application/vnd.ms-excel;\n name*0*=windows-1251'ru'"
                 + quoted[:half] + ";\n name*1*=" + quoted[half:])
    del part["Content-Disposition"]
    part.set_raw("Content-Disposition", "attachment; filename*=windows-1251''" + quoted)
    return done(m)


@case
def rfc2047_filenames_outlook():
    m = new("rfc2047_filenames_outlook", subject="Файлы")
    m.set_content("Два файла.\n")
    for index, (name, charset) in enumerate([("Акт сверки.pdf", "utf-8"),
                                             ("Приложение №2 к договору.docx", "windows-1251"),
                                             ("фото.jpg", "koi8-r")]):
        m.add_attachment(blob(name, 100 + index), "application", "octet-stream", filename="x")
        part = m.get_payload()[-1]
        word = encoded(name, charset).replace("\n", "")
        del part["Content-Type"]
        part.set_raw("Content-Type", f'application/octet-stream; name="{word}"')
        del part["Content-Disposition"]
        part.set_raw("Content-Disposition", f'attachment; filename="{word}"')
    return done(m)


def inner_message(name, subject):
    inner = EmailMessage(policy=LF)
    inner["From"] = "Анна <anna@example.org>"
    inner["To"] = "ivan@example.ru"
    inner.set_raw("Subject", encoded(subject, "windows-1251"))
    inner["Message-ID"] = f"<{name}-inner@example.org>"
    inner["Date"] = "Sun, 31 Mar 2024 18:30:00 +0300"
    inner.set_content("Текст пересланного письма.\n", charset="windows-1251", cte="base64")
    return inner


@case
def nested_multipart():
    m = new("nested_multipart", subject="Вложенная структура", policy=CRLF)
    m.set_content("Основной текст.\n")
    m.add_alternative('<p>Основной <img src="cid:logo@x"> текст.</p>\n', subtype="html")
    m.get_payload()[1].add_related(PNG, "image", "png", cid="<logo@x>")
    m.make_mixed()
    docs = EmailMessage(policy=CRLF)
    docs.add_attachment(blob("d1", 500), "application", "pdf", filename="one.pdf")
    docs.add_attachment(blob("d2", 600), "application", "zip", filename="два.zip")
    m.attach(docs)
    m.attach(MIMEMessage(inner_message("nested", "Пересланное письмо"), policy=CRLF))
    return done(m, seed="nest")


@case
def forwarded_rfc822():
    m = new("forwarded_rfc822", subject="Fwd: Пересылаю письмо")
    m.set_content("Пересылаю письмо от Анны.\n")
    m.make_mixed()
    m.attach(MIMEMessage(inner_message("forwarded", "Счёт за март"), policy=LF))
    return done(m, {"embedded_subject": "Счёт за март"})


@case
def preamble_epilogue_odd_boundary():
    m = new("preamble_epilogue_odd_boundary", subject="Boundary test")
    m.set_content("Part one.\n")
    m.add_attachment("Part two text attachment.\n", filename="two.txt")
    m.preamble = "This is a multi-part message in MIME format.\n--not a boundary\n"
    m.epilogue = "Epilogue text that is ignored.\n"
    m.set_boundary("'()+_,-./:=? odd")
    return m.as_bytes(), {}


@case
def missing_final_boundary():
    raw, _ = done(_two_parts("missing_final_boundary"), seed="cut")
    cut = raw.rindex(b"--=_cut1")
    return raw[:cut].rstrip(b"\n") + b"\n", {"issues": ["missing_final_boundary"]}


def _two_parts(name):
    m = new(name, subject="Две части")
    m.set_content("Первая часть.\n")
    m.add_attachment(blob(name, 400), "application", "pdf", filename="doc.pdf")
    return m


@case
def base64_ragged_lines():
    m = _two_parts("base64_ragged_lines")
    part = m.get_payload()[1]
    data = base64.b64encode(blob("base64_ragged_lines", 400)).decode()
    lines, index, width = [], 0, 10
    while index < len(data):
        lines.append(data[index:index + width])
        index += width
        width = width % 90 + 13
    part.set_payload("\n".join(lines) + "\n")
    return done(m)


@case
def digest_of_messages():
    m = EmailMessage(policy=LF)
    m["From"] = "list@example.org"
    m["To"] = "ivan@example.ru"
    m["Subject"] = "Digest"
    m["Message-ID"] = "<digest@example.org>"
    m.set_type("multipart/digest")
    for index in range(2):
        m.attach(MIMEMessage(inner_message(f"digest{index}", f"Письмо {index + 1}"), policy=LF))
    m.set_boundary("=_digest")
    return m.as_bytes(), {}


@case
def obsolete_date_and_comments():
    m = EmailMessage(policy=LF)
    m.set_raw("From", "ivan@example.ru (Иван Петров)")
    m.set_raw("To", "support@example.com")
    m.set_raw("Subject", "Old style")
    m.set_raw("Date", "1 Apr 24 10:00 EST")
    m.set_raw("Message-ID", "<obsolete@example.ru> (comment)")
    m.set_content("Old mailer.\n")
    return serialise(m), {"from": [{"name": "Иван Петров", "address": "ivan@example.ru"}],
                          "overridden": ["from: the comment is read as the display name"]}


@case
def folded_and_repeated_headers():
    m = new("folded_and_repeated_headers", subject="Repeated")
    for hop in range(3):
        m.set_raw("Received", f"from relay{hop}.example.net (relay{hop}.example.net [10.0.0.{hop}])\n"
                  f"\tby mx.example.com with ESMTPS id {hop}ABCDEF; Mon, 1 Apr 2024 10:0{hop}:00 +0300")
    m.set_raw("X-Long", "word " * 40)
    m.set_content("Body.\n")
    return done(m, {"received_count": 3})


@case
def eight_bit_header_cp1251():
    head = ("From: =?windows-1251?b?yOLg7Q==?= <ivan@example.ru>\nTo: support@example.com\n"
            "Subject: Сырой заголовок в cp1251\nDate: Mon, 01 Apr 2024 10:00:00 +0300\n"
            "Message-ID: <8bit@example.ru>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: 8bit\n\n")
    raw = (head + RU).encode("cp1251")
    return raw, {"subject": "Сырой заголовок в cp1251",
                 "overridden": ["subject: raw 8-bit header decoded with the body charset"]}


@case
def split_utf8_encoded_words():
    data = "Привет, мир".encode()
    words = [base64.b64encode(data[i:i + 5]).decode() for i in range(0, len(data), 5)]
    subject = "\n ".join(f"=?utf-8?b?{w}?=" for w in words)
    m = new("split_utf8_encoded_words")
    m.set_raw("Subject", subject)
    m.set_content("x\n")
    return done(m)
