#!/usr/bin/env python3
"""A helpdesk's webhook receiver for Junction's subscription tests.

Verifies every delivery with the official Standard Webhooks library (an implementation
independent of Junction's), answers 204 when it verifies and 401 when it does not, and
appends one JSON line per delivery to LOG: {"webhook_id", "offset", "type",
"conversation_id", "verified"}. Prints "PORT=<n>" once listening.

usage: webhook_receiver.py SECRET LOG [PORT]
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

secret, log_path = sys.argv[1], sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
webhook = Webhook(secret)
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            payload = webhook.verify(body, headers)
            verified = True
        except WebhookVerificationError:
            payload = json.loads(body)
            verified = False
        line = json.dumps({
            "webhook_id": headers.get("webhook-id"), "offset": payload.get("offset"),
            "type": payload.get("type"), "conversation_id": payload.get("conversation_id"),
            "event_id": payload.get("id"), "verified": verified,
        })
        with lock, open(log_path, "a") as log:
            log.write(line + "\n")
        self.send_response(204 if verified else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
print(f"PORT={server.server_address[1]}", flush=True)
server.serve_forever()
