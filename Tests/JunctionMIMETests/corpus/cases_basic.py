"""Corpus cases: charsets, encodings and MIME structure. Each case returns (bytes, extra)."""
import base64
import random
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.message import EmailMessage
import email.policy as P

LF = P.default.clone(refold_source="none")
CRLF = LF.clone(linesep="\r\n")
CASES = []
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def case(fn):
    CASES.append(fn)
    return fn


def new(name, subject=None, sender="Иван Петров <ivan@example.ru>",
        to="Служба поддержки <support@example.com>", policy=LF,
        date="Mon, 01 Apr 2024 10:00:00 +0300"):
    m = EmailMessage(policy=policy)
    m["From"] = sender
    m["To"] = to
    if subject is not None:
        m["Subject"] = subject
    m["Date"] = date
    m["Message-ID"] = f"<{name}@example.ru>"
    return m


def encoded(text, charset, q=False):
    cs = Charset(charset)
    cs.header_encoding = QP if q else BASE64
    return Header(text, cs).encode(maxlinelen=76)


def blob(name, size):
    return random.Random(name).randbytes(size)


def done(m, extra=None, seed="b"):
    n = 0
    for part in m.walk():
        if part.get_content_maintype() == "multipart":
            n += 1
            part.set_boundary(f"=_{seed}{n}_{len(seed) * 7919}")
    return serialise(m), extra or {}


def serialise(m):
    """The message's bytes; raw UTF-8 headers set on purpose are written as UTF-8."""
    try:
        return m.as_bytes()
    except UnicodeEncodeError:
        return m.as_bytes(policy=m.policy.clone(utf8=True))


def single(name, subject_raw, text, charset, cte, policy=LF, subtype="plain"):
    m = new(name, policy=policy)
    if subject_raw is not None:
        m.set_raw("Subject", subject_raw)
    m.set_content(text, subtype=subtype, charset=charset, cte=cte)
    return done(m)


RU = "Здравствуйте!\nНе могу оплатить заказ 4821: карта отклонена.\nПомогите, пожалуйста.\n"


@case
def plain_utf8_8bit():
    m = new("plain_utf8_8bit", subject="Не работает оплата картой")
    m.set_content(RU, cte="8bit")
    return done(m)


@case
def subject_cp1251_b():
    m = new("subject_cp1251_b")
    m.replace_header("From", encoded("Пётр Сидоров", "windows-1251") + " <petr@example.ru>")
    m.set_raw("Subject", encoded("Вопрос по доставке, заказ 77", "windows-1251"))
    m.set_content(RU + "Ёлки-палки, «кавычки» — тире.\n", charset="windows-1251",
                  cte="quoted-printable")
    return done(m)


@case
def subject_koi8r_q():
    subject = encoded("Проверка связи: заказ 123 не пришёл вовремя, помогите пожалуйста", "koi8-r",
                      q=True)
    return single("subject_koi8r_q", subject, RU, "koi8-r", "base64", policy=CRLF)


@case
def subject_utf8_q_long_qp():
    text = ("Очень длинная строка без переводов, которую кодировщик quoted-printable обязан "
            "разбить мягкими переносами строк, потому что она длиннее семидесяти шести "
            "символов, а в конце есть пробелы   \nКороткая строка.\nСтрока с = знаком и\tтабом\n")
    return single("subject_utf8_q_long_qp", encoded("Счёт №15 — оплата не прошла", "utf-8", q=True),
                  text, "utf-8", "quoted-printable")


@case
def iso8859_5_8bit():
    return single("iso8859_5_8bit", encoded("Возврат товара", "iso-8859-5"), RU, "iso-8859-5", "8bit")


@case
def latin1_qp():
    return single("latin1_qp", encoded("Réclamation: café trop chaud", "iso-8859-1", q=True),
                  "Bonjour,\nle café était froid à l'arrivée. Déçu!\n", "iso-8859-1",
                  "quoted-printable")


@case
def windows1252_8bit():
    return single("windows1252_8bit", None, "It’s “broken” — refund €20, please.\n",
                  "windows-1252", "8bit")


@case
def us_ascii_7bit():
    m = new("us_ascii_7bit", subject="Order status", sender="John Smith <john@example.com>")
    m.set_content("Hello,\nwhere is my order #4821?\n\nThanks,\nJohn\n", charset="us-ascii",
                  cte="7bit")
    return done(m)


def utf16(name, text, codec, label):
    """UTF-16 body built from bytes: set_content(str) would append a one-byte newline."""
    m = new(name)
    m.set_content(text.encode(codec), maintype="text", subtype="plain", cte="base64")
    m.set_param("charset", label)
    return done(m)


@case
def utf16_bom():
    return utf16("utf16_bom", RU, "utf-16", "utf-16")


@case
def utf16le_no_bom():
    return utf16("utf16le_no_bom", RU, "utf-16-le", "utf-16le")


@case
def utf16be_no_bom():
    return utf16("utf16be_no_bom", "Plain English in UTF-16 big-endian.\n", "utf-16-be", "utf-16be")


@case
def utf16_no_bom_unlabelled_order():
    return utf16("utf16_no_bom_unlabelled_order", RU, "utf-16-le", "utf-16")


@case
def cp866_base64():
    return single("cp866_base64", None, RU, "cp866", "base64")


@case
def koi8u_8bit():
    return single("koi8u_8bit", None, "Добрий день! Ґанок, їжак, єнот.\n", "koi8-u", "8bit")


@case
def cjk_gb2312():
    return single("cjk_gb2312", encoded("订单问题", "gb2312"), "你好，我的订单还没有到。\n", "gb2312",
                  "base64")


@case
def cjk_iso2022jp():
    return single("cjk_iso2022jp", encoded("注文について", "iso-2022-jp"), "こんにちは、注文が届きません。\n",
                  "iso-2022-jp", "7bit")


@case
def cjk_big5():
    return single("cjk_big5", None, "你好，我的訂單還沒有到。\n", "big5", "base64")


@case
def korean_euckr():
    return single("korean_euckr", None, "안녕하세요, 주문이 도착하지 않았습니다.\n", "euc-kr", "base64")


@case
def japanese_shift_jis():
    return single("japanese_shift_jis", None, "こんにちは、返品したいです。\n", "shift_jis", "base64")


@case
def alternative_text_html():
    m = new("alternative_text_html", subject="Привет из HTML", policy=CRLF)
    m.set_content("Текстовая версия письма.\n", cte="quoted-printable")
    m.add_alternative("<html><body><p>HTML <b>версия</b> письма.</p></body></html>\n",
                      subtype="html", cte="quoted-printable")
    return done(m)


HTML = """<!DOCTYPE html><html><head><title>Ignored title</title>
<style>p { color: red; }</style><script>var x = "<p>not text</p>";</script></head>
<body><h1>Заказ &laquo;4821&raquo;</h1><p>Здравствуйте!&nbsp;Товар пришёл
   повреждённым &amp; без чека.</p>
<ul><li>Первый пункт</li><li>Второй&#160;пункт &#x2014; важный</li></ul>
<p>Подробнее: <a href="https://shop.example.com/orders/4821">страница заказа</a>.<br>
Пишите на <a href="mailto:help@example.com">help@example.com</a></p>
<!-- a comment that must vanish -->
<table><tr><td>Сумма</td><td>1&nbsp;990 &#8381;</td></tr></table></body></html>
"""


@case
def html_only():
    m = new("html_only", subject="Только HTML")
    m.set_content(HTML, subtype="html", cte="quoted-printable")
    return done(m, {"text_contains": [
        "Заказ «4821»", "Здравствуйте! Товар пришёл повреждённым & без чека.", "- Первый пункт",
        "- Второй пункт — важный", "страница заказа (https://shop.example.com/orders/4821)",
        "Пишите на help@example.com", "Сумма 1 990 ₽"],
        "text_excludes": ["Ignored title", "color: red", "not text", "a comment", "<", "&amp;"]})


@case
def html_only_cp1251():
    m = new("html_only_cp1251")
    m.set_content("<html><body><p>Добрый день!</p><p>Вторая&nbsp;строка</p></body></html>\n",
                  subtype="html", charset="windows-1251", cte="quoted-printable")
    return done(m, {"text_contains": ["Добрый день!\n\nВторая строка"]})


@case
def related_inline_image():
    m = new("related_inline_image", subject="Скриншот ошибки")
    m.set_content("Смотрите скриншот.\n")
    m.add_alternative('<p>Смотрите <img src="cid:shot1@example.ru"> скриншот.</p>\n',
                      subtype="html")
    html = m.get_payload()[1]
    html.add_related(PNG, "image", "png", cid="<shot1@example.ru>", filename="screenshot.png")
    m.add_attachment(blob("pdf", 3000), "application", "pdf", filename="invoice.pdf")
    return done(m)


@case
def mixed_attachments():
    m = new("mixed_attachments", subject="Documents", sender="john@example.com")
    m.set_content("See attached.\n")
    m.add_attachment(blob("a", 5000), "application", "pdf", filename="contract.pdf")
    m.add_attachment(blob("b", 777), "application",
                     "vnd.openxmlformats-officedocument.wordprocessingml.document",
                     filename="report.docx")
    m.add_attachment("log line 1\nlog line 2\n", filename="app.log")
    m.add_attachment(blob("c", 1234), "image", "jpeg", filename="photo.jpg")
    m.add_attachment(b"", "application", "octet-stream", filename="empty.bin")
    return done(m)
