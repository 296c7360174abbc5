"""An organizer builds an exercise with a scale poll and designs the survey in Chromium, with only the pages (no
script needed): a step's settings are labelled fields, a mistake is said in words next to its field with what was
typed kept, and every screen passes the accessibility check."""

import re

import pytest

from tests import factories
from tests.e2e.browser import LAPTOP
from tests.e2e.conftest import login_cookie
from workshops.models import Exercise

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_organizer_builds_a_poll_step_and_a_survey_question_with_forms_not_json(server, screens):
    org = factories.organization()
    owner = org.memberships.get(role="owner").user
    laptop = screens.open("library-editor", server, cookie=login_cookie(owner), **LAPTOP)
    page = laptop.goto(f"/o/{org.slug}/library/new/").page
    problems = laptop.axe("new-exercise")

    page.get_by_label("Title", exact=True).first.fill("Arriving")
    page.locator("#step-1").get_by_label("Title", exact=True).fill("Welcome")
    page.get_by_label("Add a step of kind").select_option(label="Anonymous pulse or poll")
    laptop.click("Add a step")
    step = page.locator("#step-2")
    step.get_by_label("Title", exact=True).fill("How safe?")
    step.get_by_label("Question", exact=True).fill("How safe does this room feel?")
    step.get_by_label("Kind of question").select_option(label="Scale")
    step.get_by_label("Lowest number").fill("1")
    step.get_by_label("Highest number").fill("12")
    step.get_by_label("Label of the lowest").fill("Not yet")
    step.get_by_label("Label of the highest").fill("Very")
    laptop.click("Save exercise", exact=True)

    step = page.locator("#step-2")
    laptop.see("Enter a whole number from 3 to 10.")
    assert step.get_by_label("Highest number").input_value() == "12"
    assert step.get_by_label("Label of the lowest").input_value() == "Not yet"
    problems += laptop.axe("step-error")
    laptop.shot("step-error")
    step.get_by_label("Highest number").fill("5")
    laptop.click("Save exercise", exact=True)
    laptop.see("Options are only for a choice poll: remove them, or choose single or multiple choice.")
    page.locator("#step-2").get_by_label("Options").fill("")
    laptop.click("Save exercise", exact=True)

    page.wait_for_url(re.compile(r"/library/\d+/$"))
    laptop.see("Exercise “Arriving” created.")
    poll = Exercise.objects.get(organization=org, title="Arriving").steps.get(position=2)
    assert poll.config == {
        "question": "How safe does this room feel?",
        "poll_kind": "scale",
        "scale": {"min": 1, "max": 5, "min_label": "Not yet", "max_label": "Very"},
    }
    assert "Lowest number: 1 · Highest number: 5" in page.locator("#step-2").inner_text()
    problems += laptop.axe("exercise")

    laptop.goto(f"/o/{org.slug}/feedback/survey/")
    page.get_by_label("Kind of question").select_option(label="Scale")
    laptop.click("Next: its fields")
    page.get_by_role("heading", name="New question: Scale").wait_for()
    assert page.get_by_label("Options").count() == 0
    page.get_by_label("Question", exact=True).fill("How useful was today?")
    page.get_by_label("Lowest number").fill("5")
    page.get_by_label("Highest number").fill("3")
    laptop.click("Add the question")
    laptop.see("The scale's lowest number must be smaller than its highest, from 0 to 10.")
    assert page.get_by_label("Question", exact=True).input_value() == "How useful was today?"
    problems += laptop.axe("survey-error")
    laptop.shot("survey-error")
    page.get_by_label("Lowest number").fill("1")
    laptop.click("Add the question")
    laptop.see("Question added.")
    assert page.locator("#question-1").inner_text().startswith("How useful was today? Scale")
    problems += laptop.axe("survey")
    laptop.shot("survey")
    assert problems == []
