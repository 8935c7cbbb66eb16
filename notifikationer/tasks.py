"""Background tasks (django-tasks): sending a mail, so a slow mail server never slows a page."""

from django_tasks import task

from .services import mail_send


@task()
def deliver_mail(mail_id: int) -> bool:
    """Send one queued mail. A failure is recorded on the mail, and the next scheduler run
    (send_notifications) hands it to the worker again, up to MAIL_MAX_ATTEMPTS."""
    return mail_send(mail_id=mail_id)
