from workshops.models.accounts import AccountLanguage
from workshops.models.enrollment import Enrollment, SessionReminder, WaitlistOffer
from workshops.models.library import Exercise, Program, ProgramItem, Step
from workshops.models.organizations import Membership, Organization, StaffCalendar, StaffInvitation
from workshops.models.registration import RegistrationAnswer, RegistrationQuestion
from workshops.models.scheduling import Session, Workshop

__all__ = [
    "AccountLanguage",
    "Enrollment",
    "Exercise",
    "Membership",
    "Organization",
    "Program",
    "ProgramItem",
    "RegistrationAnswer",
    "RegistrationQuestion",
    "Session",
    "SessionReminder",
    "StaffCalendar",
    "StaffInvitation",
    "Step",
    "WaitlistOffer",
    "Workshop",
]
