"""Corpus cases: addresses, replies with quoted history, automatic mail, bounces (DSNs)."""
from email.message import EmailMessage, Message
from email.mime.message import MIMEMessage

from cases_basic import LF, done, encoded, new

CASES = []
TOKEN = "AB12CD34"


def case(fn):
    CASES.append(fn)
    return fn


@case
def address_groups():
    m = new("address_groups", subject="Адреса")
    del m["To"]
    m.set_raw("To", "Отдел продаж: " + encoded("Мария", "utf-8") + " <sales1@example.com>,\n"
              ' "Petrov, Ivan" <ivan.petrov@example.ru>;, support@example.com')
    m.set_raw("Cc", '"Анна Смирнова" <anna@example.org>, <bare@example.net>, plain@example.net')
    m.set_raw("Reply-To", encoded("Иван (личный)", "koi8-r") + " <reply@example.ru>")
    m.set_content("x\n")
    return done(m)


def reply(name, body, stripped, quote=True, signature=False, subtype="plain"):
    m = new(name, subject=f"Re: Проблема с заказом [#{TOKEN}]")
    m["In-Reply-To"] = "<out-2@support.example.com>"
    m.set_raw("References", "<out-1@support.example.com> <in-1@example.ru>\n <out-2@support.example.com>")
    m.set_content(body, subtype=subtype)
    return done(m, {"token": TOKEN, "automatic": False, "stripped": {
        "text": stripped, "quote_stripped": quote, "signature_stripped": signature}})


@case
def reply_gmail_en():
    return reply("reply_gmail_en", "Thanks, that worked!\n\nIvan\n\nOn Mon, Apr 1, 2024 at 10:00 AM "
                 "Support Team <support@example.com>\nwrote:\n\n> Hello Ivan,\n> please try again.\n",
                 "Thanks, that worked!\n\nIvan")


@case
def reply_gmail_ru():
    return reply("reply_gmail_ru", "Спасибо, всё заработало.\n\nпн, 1 апр. 2024 г. в 10:00, Служба "
                 "поддержки <support@example.com>:\n\n> Здравствуйте, Иван!\n> Попробуйте ещё раз.\n",
                 "Спасибо, всё заработало.")


@case
def reply_outlook_en():
    return reply("reply_outlook_en", "Still not working.\n\n________________________________\n"
                 "From: Support Team <support@example.com>\nSent: Monday, April 1, 2024 10:00 AM\n"
                 "To: Ivan Petrov <ivan@example.ru>\nSubject: Re: Order problem [#AB12CD34]\n\n"
                 "Hello Ivan, please try again.\n", "Still not working.")


@case
def reply_outlook_ru():
    return reply("reply_outlook_ru", "Не работает по-прежнему.\n\n-----Исходное сообщение-----\n"
                 "От: Служба поддержки <support@example.com>\nОтправлено: 1 апреля 2024 г. 10:00\n"
                 "Кому: Иван Петров <ivan@example.ru>\nТема: Проблема с заказом [#AB12CD34]\n\n"
                 "Здравствуйте!\n", "Не работает по-прежнему.")


@case
def reply_original_message_en():
    return reply("reply_original_message_en", "See below.\n\n-----Original Message-----\nFrom: "
                 "Support <support@example.com>\nSent: Monday, April 01, 2024 10:00\nTo: Ivan\n"
                 "Subject: Order\n\nOld text\n", "See below.")


@case
def reply_outlook_html_only():
    html = ("<html><body><div>Всё ещё не пришло.</div><div><br></div><hr>"
            "<div><b>От:</b> Служба поддержки &lt;support@example.com&gt;<br>"
            "<b>Отправлено:</b> 1 апреля 2024 г. 10:00<br><b>Кому:</b> Иван<br>"
            "<b>Тема:</b> Проблема с заказом</div><div>Старый текст</div></body></html>\n")
    return reply("reply_outlook_html_only", html, "Всё ещё не пришло.", subtype="html")


@case
def reply_yandex():
    return reply("reply_yandex", "Добрый день, номер заказа 4821.\n\n01.04.2024, 10:00, \"Служба "
                 "поддержки\" <support@example.com>:\n> Здравствуйте! Какой номер заказа?\n",
                 "Добрый день, номер заказа 4821.")


@case
def reply_mailru():
    return reply("reply_mailru", "Спасибо!\n\n\nПонедельник, 1 апреля 2024, 10:00 +03:00 от Служба "
                 "поддержки <support@example.com>:\n\n>Здравствуйте!\n>Заказ отправлен.\n", "Спасибо!")


@case
def reply_thunderbird_ru():
    return reply("reply_thunderbird_ru", "Ответ тут.\n\n01.04.2024 10:00, Служба поддержки пишет:\n"
                 "> Здравствуйте!\n", "Ответ тут.")


@case
def reply_inline_quotes():
    return reply("reply_inline_quotes", "> Какой у вас номер заказа?\n4821\n\n> Когда вы его "
                 "оформили?\nВчера вечером.\n", "4821\n\nВчера вечером.")


@case
def reply_signature():
    return reply("reply_signature", "Жду ответа.\n\n-- \nИван Петров\n+7 900 000-00-00\n",
                 "Жду ответа.", quote=False, signature=True)


@case
def reply_iphone():
    return reply("reply_iphone", "Ok, thanks\n\nSent from my iPhone\n\n> On 1 Apr 2024, at 10:00, "
                 "Support Team <support@example.com> wrote:\n> \n> Hello\n", "Ok, thanks",
                 signature=True)


@case
def reply_no_history():
    return reply("reply_no_history", "Просто новый вопрос: когда будет доставка?\n",
                 "Просто новый вопрос: когда будет доставка?", quote=False)


def automatic(name, headers, reasons, text="Я в отпуске до 10 апреля.\n", sender=None):
    m = new(name, subject="Автоответ: Проблема с заказом", sender=sender or "ivan@example.ru")
    for key, value in headers:
        m.set_raw(key, value)
    m.set_content(text)
    return done(m, {"automatic": bool(reasons), "automatic_reasons": reasons})


@case
def auto_submitted_vacation():
    return automatic("auto_submitted_vacation", [("Auto-Submitted", "auto-replied (vacation)")],
                     ["auto_submitted"])


@case
def auto_submitted_no():
    return automatic("auto_submitted_no", [("Auto-Submitted", "no")], [], text="Живой человек.\n")


@case
def auto_precedence_bulk():
    return automatic("auto_precedence_bulk", [("Precedence", "bulk")], ["precedence"])


@case
def auto_x_autoreply():
    return automatic("auto_x_autoreply", [("X-Autoreply", "yes"), ("X-Autorespond", "vacation")],
                     ["auto_reply_header", "auto_reply_header"])


@case
def auto_outlook_suppress():
    return automatic("auto_outlook_suppress", [("X-Auto-Response-Suppress", "All")],
                     ["auto_reply_header"])


@case
def auto_mailing_list():
    return automatic("auto_mailing_list", [("List-Id", "News <news.example.com>"),
                                           ("List-Unsubscribe", "<mailto:unsub@example.com>")],
                     ["mailing_list", "mailing_list"])


@case
def auto_null_return_path():
    return automatic("auto_null_return_path", [("Return-Path", "<>")], ["null_return_path"])


@case
def auto_mailer_daemon():
    return automatic("auto_mailer_daemon", [], ["mailer_daemon"],
                     sender="Mail Delivery System <MAILER-DAEMON@mx.example.com>",
                     text="This is the mail system. Your message could not be delivered.\n")


def status_block(fields):
    block = Message()
    for key, value in fields:
        block[key] = value
    return block


def dsn(name, recipients, original):
    m = EmailMessage(policy=LF)
    m["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.com>"
    m["To"] = "support@example.com"
    m["Subject"] = "Undelivered Mail Returned to Sender"
    m["Message-ID"] = f"<{name}@mx.example.com>"
    m["Auto-Submitted"] = "auto-replied"
    m.set_type("multipart/report")
    m.set_param("report-type", "delivery-status")
    text = Message()
    text.set_payload("I'm sorry to have to inform you that your message could not be delivered.\n")
    text.set_type("text/plain")
    status = Message()
    status.set_type("message/delivery-status")
    status.set_payload([status_block([("Reporting-MTA", "dns; mx.example.com")])]
                       + [status_block(r) for r in recipients])
    m.attach(text)
    m.attach(status)
    m.attach(original)
    m.set_boundary(f"=_{name}")
    return m.as_bytes(), {"automatic": True,
                          "automatic_reasons": ["auto_submitted", "mailer_daemon", "report"]}


def sent_message():
    out = EmailMessage(policy=LF)
    out["From"] = "Support <support@example.com>"
    out["To"] = "nobody@example.net"
    out["Subject"] = "Re: Проблема с заказом [#AB12CD34]"
    out["Message-ID"] = "<out-7@support.example.com>"
    out.set_content("Ответ клиенту.\n")
    return out


@case
def dsn_postfix_failed():
    return dsn("dsn_postfix_failed", [[
        ("Final-Recipient", "rfc822; nobody@example.net"), ("Original-Recipient", "rfc822;nobody@example.net"),
        ("Action", "failed"), ("Status", "5.1.1"),
        ("Remote-MTA", "dns; mx.example.net"),
        ("Diagnostic-Code", "smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected:\n"
         " User unknown in virtual mailbox table")]], MIMEMessage(sent_message()))


@case
def dsn_headers_only_two_recipients():
    headers = Message()
    headers.set_type("text/rfc822-headers")
    headers.set_payload("From: Support <support@example.com>\nTo: a@example.net, b@example.net\n"
                        "Subject: Notice\nMessage-ID: <out-8@support.example.com>\n")
    return dsn("dsn_headers_only_two_recipients", [
        [("Final-Recipient", "rfc822; a@example.net"), ("Action", "failed"), ("Status", "5.2.2"),
         ("Diagnostic-Code", "smtp; 552 5.2.2 Mailbox full")],
        [("Final-Recipient", "rfc822; b@example.net"), ("Action", "delayed"), ("Status", "4.4.1"),
         ("Diagnostic-Code", "X-Postfix; connect to mx.example.net: Connection timed out")]], headers)
