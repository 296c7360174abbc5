import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from workshops import demo
from workshops.models import Enrollment, Session, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_data_is_complete_and_loading_it_twice_changes_nothing(builtin_library):
    demo.load_demo(user_model=get_user_model())
    counts = (Workshop.objects.count(), Session.objects.count(), Enrollment.objects.count())
    demo.load_demo(user_model=get_user_model())
    assert (Workshop.objects.count(), Session.objects.count(), Enrollment.objects.count()) == counts == (2, 4, 3)
    assert set(Workshop.objects.values_list("status", flat=True)) == {"published"}
    live = Session.objects.filter(starts_at__lte=timezone.now(), ends_at__gt=timezone.now())
    assert live.get().workshop.title == demo.DEMO_LIVE_TITLE
    for login in demo.DEMO_STAFF:
        assert get_user_model().objects.get(username=login.email).check_password(login.password)
