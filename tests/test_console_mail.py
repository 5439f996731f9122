"""`make run` prints notification e-mails in the terminal as a person would read them."""

import io

from django.core.mail import EmailMultiAlternatives

from sovaz.mail import ReadableConsoleBackend


def test_uzbek_and_russian_mail_is_printed_as_text_not_base64():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Idora javobini o‘zgartirdi",
        body="Ведомство изменило ответ на ваш комментарий.\nQaror: qabul qilindi.",
        from_email="SOVAZ <noreply@sovaz.example>",
        to=["dilnoza@example.uz"],
    )
    message.attach_alternative("<p>Ведомство</p>", "text/html")
    message.attach("answers.csv", "id,outcome\n1,accepted\n", "text/csv")
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert "Subject: Idora javobini o‘zgartirdi" in printed
    assert "Ведомство изменило ответ на ваш комментарий.\nQaror: qabul qilindi." in printed
    assert "To: dilnoza@example.uz" in printed
    assert "[also as text/html]" in printed and "[attached: answers.csv]" in printed
    assert "Content-Transfer-Encoding" not in printed
