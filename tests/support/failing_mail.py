"""A mail backend that refuses every message the way an SMTP server does: quoting addresses."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        refused = {address: (550, b"no such user") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)
