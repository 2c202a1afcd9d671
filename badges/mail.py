"""Sending email through a pluggable sender chosen by MAIL_SENDER.

`log` (the default outside production) writes each message to the application log, so the service
runs with no mail server; `smtp` sends through MAIL_SMTP_HOST. Messages are handed over only after
the transaction that caused them commits: a rolled-back decision sends nothing.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_OUTBOX = "mail_outbox"  # session.info key: messages to send once the transaction commits


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class MailSender(Protocol):
    def send(self, mail: Mail) -> None: ...


class LogMailSender:
    """Development and tests: the message goes to the log, nowhere else."""

    def send(self, mail: Mail) -> None:
        current_app.logger.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)


class SmtpMailSender:
    def __init__(self, host: str, port: int, sender: str, username: str | None, password: str | None, starttls: bool):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def init_mail(app: Flask) -> None:
    config = app.config
    if config["MAIL_SENDER"] == "smtp":
        sender: MailSender = SmtpMailSender(
            config["MAIL_SMTP_HOST"],
            config["MAIL_SMTP_PORT"],
            config["MAIL_FROM"],
            config.get("MAIL_SMTP_USERNAME"),
            config.get("MAIL_SMTP_PASSWORD"),
            config["MAIL_SMTP_STARTTLS"],
        )
    else:
        sender = LogMailSender()
    app.extensions["badges_mail"] = sender


def send_after_commit(session: Session, mail: Mail) -> None:
    session = session() if callable(session) and not isinstance(session, Session) else session
    session.info.setdefault(_OUTBOX, []).append(mail)


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    if session.in_nested_transaction():
        return
    outbox = session.info.pop(_OUTBOX, [])
    if not outbox:
        return
    sender: MailSender = current_app.extensions["badges_mail"]
    for mail in outbox:
        try:
            sender.send(mail)
        except Exception:  # the decision is committed; a mail server being down must not undo it
            current_app.logger.exception("could not send mail to %s (%s)", mail.to, mail.subject)


@event.listens_for(Session, "after_rollback")
def _drop_outbox(session: Session) -> None:
    session.info.pop(_OUTBOX, None)
