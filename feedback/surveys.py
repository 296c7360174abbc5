"""The organization's post-session survey, as the designer page (feedback/views.py) and the REST API
(feedback/survey_api.py) both edit it: which survey that is, how many questions it holds, and saving it.

What a question may ask is feedback.prompts.validate_prompt's to say. Couples get the survey's questions when a
session ends: feedback.services.survey_prompts copies them into that session's prompts then, once. Editing the
survey afterwards changes no ended session's questions, nor its answers or report.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from feedback.models import Survey
from feedback.prompts import validate_prompt
from workshops.errors import DomainError

TITLE_LENGTH = 120  # Survey.title's
MAX_PROMPTS = 20  # couples answer them on their phones after a session


def too_many():
    """What refuses one question more than MAX_PROMPTS, in the reader's language."""
    return _("A survey holds at most %(count)s questions: remove one to add another.") % {"count": MAX_PROMPTS}


def survey_of(organization):
    """The organization's survey (its most recently edited one), made empty the first time it is asked for."""
    survey = Survey.objects.filter(organization=organization).order_by("-updated_at").first()
    # Its first title is in the language of whoever opened it first (the staff read it; couples see the questions).
    return survey or Survey.objects.create(organization=organization, title=_("After the session"))


def clean_prompts(prompts):
    """The questions as the survey stores them, in their order, each checked by validate_prompt; a refusal names
    the question's place (`prompts.2.scale`) and says its number in words."""
    if not isinstance(prompts, list):
        raise DomainError(_("The questions are a list."), field="prompts")
    if len(prompts) > MAX_PROMPTS:
        raise DomainError(too_many(), field="prompts", code="too_many_prompts")
    cleaned = []
    for index, prompt in enumerate(prompts):
        try:
            cleaned.append(validate_prompt(prompt))
        except DomainError as refused:
            where = f"prompts.{index}" + (f".{refused.field}" if refused.field else "")
            message = _("Question %(number)s: %(problem)s") % {"number": index + 1, "problem": refused.message}
            raise DomainError(message, field=where, code=refused.code) from None
    return cleaned


@transaction.atomic
def survey_save(*, survey, title=None, prompts=None):
    """Change the survey's title and/or replace its questions (the list in its new order: a question added, edited,
    moved or removed). Sessions that have ended keep the questions they were asked."""
    if title is not None:
        title = " ".join(str(title).split())
        if not title:
            raise DomainError(_("Give the survey a title."), field="title")
        if len(title) > TITLE_LENGTH:
            raise DomainError(_("Keep the title to %(count)s characters.") % {"count": TITLE_LENGTH}, field="title")
        survey.title = title
    if prompts is not None:
        survey.prompts = clean_prompts(prompts)
    survey.save()
    return survey
