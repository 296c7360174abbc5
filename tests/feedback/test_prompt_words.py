"""What feedback.prompts.validate_prompt says is said the same, in plain words, on the live console as on the survey
designer's page (tests/workshops/pages/test_survey_designer.py): a facilitator's live question over the real socket."""

import pytest
from asgiref.sync import sync_to_async

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"kind": "scale", "scale": {"min": 5, "max": 3}},
            "The scale's lowest number must be smaller than its highest, from 0 to 10.",
        ),
        ({"kind": "single", "options": ["Only one"]}, "Give 2 to 10 options, each of 1 to 120 characters."),
        ({"kind": "text", "question": "   "}, "Write the question."),
    ],
)
async def test_a_refused_live_question_is_said_in_plain_words(live, fields, message):
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    refused = await fac.command("feedback.add", **{"question": "How is it going?", **fields})
    assert (refused["type"], refused["code"], refused["message"]) == ("error", "bad_prompt", message)
    await fac.close()
