#!/usr/bin/env python3
"""Pre-signs unique `api` channel messages for wrk (wrk must not sign, issue 2).

Writes one file per wrk thread, `requests-<n>.bin`: each request as its byte length in
decimal, a newline, then the raw HTTP/1.1 request. Every request has its own message id and
Standard Webhooks signature; senders are drawn from a pool of users so most messages join an
existing conversation, as in real traffic."""
import argparse, base64, hashlib, hmac, json, os, time

parser = argparse.ArgumentParser()
parser.add_argument("--secret", required=True)
parser.add_argument("--count", type=int, required=True, help="requests per thread")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--users", type=int, default=2000)
parser.add_argument("--channel", default="bench")
parser.add_argument("--run", default="r1", help="prefix making ids unique across runs")
parser.add_argument("--out", required=True)
args = parser.parse_args()

key = base64.b64decode(args.secret[len("whsec_"):])
text = ("Здравствуйте! Заказ #48213 должен был прийти вчера, но трекинг показывает, что посылка "
        "застряла на складе в Казани. Подскажите, пожалуйста, когда её отправят? Hello, order 48213 is late.")
timestamp = str(int(time.time()))
os.makedirs(args.out, exist_ok=True)
for thread in range(args.threads):
    with open(os.path.join(args.out, f"requests-{thread}.bin"), "wb") as out:
        for index in range(args.count):
            message_id = f"{args.run}-t{thread}-{index}"
            user = (index * 7919 + thread) % args.users
            body = json.dumps({"id": message_id, "from": {"id": f"user-{user}", "name": f"Customer {user}",
                               "email": f"customer{user}@example.com", "language": "ru"},
                               "text": text, "sent_at": "2026-11-22T10:00:00Z"}, ensure_ascii=False).encode()
            webhook_id = "wh_" + message_id
            signature = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
            request = (f"POST /v1/inbound/{args.channel} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       f"Content-Type: application/json\r\nwebhook-id: {webhook_id}\r\n"
                       f"webhook-timestamp: {timestamp}\r\nwebhook-signature: v1,{signature}\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body
            out.write(f"{len(request)}\n".encode())
            out.write(request)
