"""The console mail backend a newcomer reads (`make run` prints mails in the terminal)."""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ReadableConsoleBackend(ConsoleEmailBackend):
    """Django's console backend prints the MIME message, in which Uzbek and Russian text is
    base64. This prints what the recipient would read: the addresses, the subject and the text
    as it is, with any other parts named."""

    def write_message(self, message) -> None:
        lines = [f"From: {message.from_email}", f"To: {', '.join(message.to)}"]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        lines += [f"Subject: {message.subject}", "", message.body]
        for _content, mimetype in getattr(message, "alternatives", []):
            lines.append(f"[also as {mimetype}]")
        for attachment in message.attachments:
            lines.append(f"[attached: {getattr(attachment, 'filename', None) or 'a file'}]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
