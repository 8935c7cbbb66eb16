import datetime

import pytest
from django.core import mail

TODAY = datetime.date(2026, 12, 7)  # a Monday, the default digest weekday


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
