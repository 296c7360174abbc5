"""A first-time organizer goes from the README to a published two-day retreat in Chromium, against a real server,
following only what the pages show (issue 16's "done when"): the README names the sign-up link on the home page;
from "/" on, every page is reached by a link or a button. The organizer signs up, creates the organization, builds
a program of two parts, schedules it as a retreat on two consecutive days in the workshop's own time zone with a
reminder schedule and two registration questions, publishes it, and invites a facilitator. The facilitator opens
the e-mailed link in a browser of their own, signs up with the address filled in, and joins; the organizer is
e-mailed that they accepted, follows its link to assign them to the retreat, and the staff page shows the invitation
accepted. The facilitator finds the retreat's sessions on their home page, welcomed for the first time. A couple
registers on the public page answering the questions, and the organizer reads the answers on the enrollments page.
Every main page passes the accessibility check."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.browser import LAPTOP, PHONE
from tests.support import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "lantern-orchard-49-quietly"
FACILITATOR_PASSWORD = "meadow-copper-17-slowly"
RETREAT_ZONE = "Europe/Lisbon"  # not the organization's: the sessions are typed and shown in the workshop's zone


def _readme_sign_up():
    """The README's getting-started words for signing up: the address and the home page's link label."""
    readme = (ROOT / "README.md").read_text()
    getting_started = readme.split("\n## Two commands\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"account at (\S+/accounts/signup/)\s+\(\"([^\"]+)\" on\s+the home page\)", getting_started)
    assert match, "the README's getting started says where to sign up"
    return match.group(1), match.group(2)


def _queued_mail(to, subject_part):
    """The one e-mail the server queued to `to` whose subject holds `subject_part` (the outbox: post_office)."""
    from post_office.models import Email

    return Email.objects.filter(to=to, subject__contains=subject_part).get()


def _option_label(select, text):
    """The full label of the option of `select` that contains `text` (exercise options end with their minutes)."""
    return select.locator("option", has_text=text).first.inner_text().strip()


def test_a_first_organizer_publishes_a_two_day_retreat_from_the_readme(server, screens, builtin_library):
    signup_url, signup_link = _readme_sign_up()
    assert signup_url == "http://localhost:8000/accounts/signup/"
    problems = []

    # --- the home page, the only address typed: sign up, create the organization --------------------------------
    laptop = screens.open("first-organizer", server, **LAPTOP).goto("/")
    page = laptop.page
    problems += laptop.axe("home")
    page.get_by_role("link", name=signup_link).click()
    page.wait_for_url(re.compile(r"/accounts/signup/$"))
    page.get_by_role("heading", name="Create a staff account").wait_for()
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("E-mail").fill("robin@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    laptop.click("Create account")

    page.get_by_role("heading", name="Create your organization").wait_for()
    problems += laptop.axe("org-create")
    page.get_by_label("Name of the organization").fill("Open Hearts")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    laptop.click("Create organization")
    page.wait_for_url(re.compile(r"/o/open-hearts/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Open Hearts"
    problems += laptop.axe("dashboard")

    # --- a program of two parts: part 1 runs on the first day, part 2 on the second ---------------------------------
    page.get_by_role("link", name="New program").click()
    page.get_by_role("heading", name="New program").wait_for()
    page.get_by_label("Title").fill("Two days of shared decisions")
    page.get_by_label("Format").select_option(label="In person")
    first = page.get_by_label("First exercise")
    first.select_option(label=_option_label(first, "Our boundary map"))
    problems += laptop.axe("program-new")
    laptop.click("Create program")
    laptop.see("Program “Two days of shared decisions” created. Add more exercises below.")

    add = page.locator("#add")
    exercise = add.get_by_label("Exercise")
    exercise.select_option(label=_option_label(exercise, "A pause signal we both trust"))
    add.get_by_label("Part").fill("2")
    laptop.click("Add to the program")
    laptop.see("Added “A pause signal we both trust” to part 2.")
    planned = page.locator("#planned").inner_text()
    assert re.fullmatch(r"\d+ min planned · Part 1: \d+ min · Part 2: \d+ min", planned), planned
    assert page.locator("#item-1").get_by_label("Part").input_value() == "1"
    assert page.locator("#item-2").get_by_label("Part").input_value() == "2"
    problems += laptop.axe("program")
    laptop.shot("program")

    # --- the retreat: scheduled from the program, a draft with its own zone and reminders -------------------------
    page.get_by_role("link", name="Schedule a workshop with it").click()
    page.get_by_role("heading", name="New workshop").wait_for()
    program = page.get_by_label("Program")
    assert program.locator("option:checked").inner_text() == "Two days of shared decisions"
    assert page.get_by_label("Time zone").input_value() == "Europe/Berlin"  # the organization's, to start with
    page.get_by_label("Title", exact=True).fill("Spring retreat")
    page.get_by_label("Format").select_option(label="In person")
    page.get_by_label("Venue").fill("Quinta do Lago, Sintra")
    page.get_by_label("Time zone").fill(RETREAT_ZONE)
    page.get_by_label("Capacity (couples)").fill("8")
    page.get_by_label("Reminders (days before each session)").fill("7, 1")
    problems += laptop.axe("workshop-new")
    laptop.click("Create workshop")
    laptop.see("“Spring retreat” created as a draft. Add its sessions, then publish it.")
    assert page.locator("#workshop-status").inner_text() == "Draft"
    assert page.locator("#reminders").inner_text() == "7 and 1 day before each session"
    assert "The program has 2 parts: part 1 runs in the first session" in page.locator("#sessions").inner_text()

    day_one = (datetime.now(ZoneInfo(RETREAT_ZONE)) + timedelta(days=30)).date()
    day_two = day_one + timedelta(days=1)
    for title, day, start, end in (("Day 1", day_one, "10:00", "17:00"), ("Day 2", day_two, "09:30", "15:00")):
        form = page.locator("#sessions form")
        assert f"Local time in {RETREAT_ZONE}" in form.inner_text()
        form.get_by_label("Title").fill(title)
        form.get_by_label("Starts").fill(f"{day:%Y-%m-%d}T{start}")
        form.get_by_label("Ends").fill(f"{day:%Y-%m-%d}T{end}")
        laptop.click("Add session")
        laptop.see(f"Session added: {day:%a} {day.day} {day:%b %Y}, {start} ({RETREAT_ZONE}).")
    sessions = page.locator("#sessions ol > li")
    assert sessions.count() == 2
    assert f"{day_one:%a} {day_one.day} {day_one:%b %Y}, 10:00–17:00" in sessions.nth(0).inner_text()
    assert f"{day_two:%a} {day_two.day} {day_two:%b %Y}, 09:30–15:00" in sessions.nth(1).inner_text()

    # --- the registration questions: diet (short text) and the room (one choice) ----------------------------------
    page.get_by_role("link", name="Registration questions").click()
    page.get_by_role("heading", name="Registration questions").wait_for()
    problems += laptop.axe("questions-empty")
    page.get_by_label("Question", exact=True).fill("Any dietary needs?")
    page.get_by_label("Answered with").select_option(label="Short text")
    laptop.click("Add the question")
    laptop.see("Question added: “Any dietary needs?”.")
    page.get_by_label("Question", exact=True).fill("Room")
    page.get_by_label("Answered with").select_option(label="One choice from a list")
    page.get_by_label("Options").fill("Shared\nSingle")
    page.get_by_label("Couples must answer it").check()
    laptop.click("Add the question")
    laptop.see("Question added: “Room”.")
    questions = page.locator("#questions ol > li")
    assert [questions.nth(i).locator("strong").inner_text() for i in range(questions.count())] == [
        "Any dietary needs?",
        "Room",
    ]
    assert "Short text · optional" in questions.nth(0).inner_text()
    assert "One choice from a list · required" in questions.nth(1).inner_text()
    assert "Options: Shared · Single" in questions.nth(1).inner_text()
    problems += laptop.axe("questions")
    laptop.shot("questions")

    # --- publish ------------------------------------------------------------------------------------------------
    page.locator(".crumbs").get_by_role("link", name="Spring retreat").click()
    page.get_by_role("heading", name="Publish").wait_for()
    assert page.locator("#questions-summary").inner_text() == (
        "Couples give an e-mail and a first name or pseudonym, and answer 2 questions of yours."
    )
    assert page.locator("#publish-effect").inner_text() == "Publishing opens registration through the public page."
    problems += laptop.axe("workshop-draft")
    laptop.click("Publish", exact=True)
    laptop.see("Published: registration is open through the public link.")
    assert page.locator("#workshop-status").inner_text() == "Published"
    public_url = page.locator("#public-url a").get_attribute("href")
    assert public_url.startswith(server + "/w/")
    problems += laptop.axe("workshop-published")
    laptop.shot("workshop-published")

    # --- a facilitator is invited from the staff page, which the workshop's facilitators section leads to ------------
    facilitators = page.locator("#facilitators")
    assert facilitators.get_by_role("checkbox").count() == 1  # only the owner so far
    facilitators.get_by_role("link", name="Invite them from the staff page").click()
    page.get_by_role("heading", name="Staff", exact=True).wait_for()
    invite = page.locator("#invite")
    invite.get_by_label("E-mail").fill("sam@example.test")
    assert invite.get_by_label("Role").locator("option:checked").inner_text() == "Facilitator"
    laptop.click("Send invitation")
    laptop.see("Invitation e-mailed to sam@example.test (Facilitator).")
    assert "sam@example.test · Facilitator" in page.locator("#invitations").inner_text()
    problems += laptop.axe("staff")

    invitation = _queued_mail("sam@example.test", "You're invited to join Open Hearts")
    links = re.findall(r"https?://\S+", invitation.message)
    assert len(links) == 1 and links[0].startswith(server + "/staff/invitation/"), invitation.message

    # --- the facilitator, in a browser of their own: the link, sign-up with the address filled in, join ------------
    tablet = screens.open("invited-facilitator", server, **LAPTOP)
    staff_page = tablet.page
    staff_page.goto(links[0])
    staff_page.get_by_role("heading", name="Join Open Hearts").wait_for()
    tablet.see("You're invited as Facilitator.")
    problems += tablet.axe("invitation")
    staff_page.get_by_role("link", name="Create an account").click()
    staff_page.get_by_role("heading", name="Create a staff account").wait_for()
    assert staff_page.get_by_label("E-mail").input_value() == "sam@example.test"
    problems += tablet.axe("invited-sign-up")
    staff_page.get_by_label("Your name").fill("Sam")
    staff_page.get_by_label("Password").fill(FACILITATOR_PASSWORD)
    tablet.click("Create account")
    staff_page.get_by_role("heading", name="Join Open Hearts").wait_for()
    tablet.click("Join as sam@example.test")
    staff_page.wait_for_url(re.compile(r"/o/open-hearts/$"))
    tablet.see("Welcome to Open Hearts.")
    assert "You are facilitator here" in tablet.text()

    # --- the organizer hears that Sam joined, and assigns them to the retreat from the e-mail's link -----------------
    accepted = _queued_mail("robin@example.test", "Sam accepted your invitation to Open Hearts")
    assign_links = [link for link in re.findall(r"https?://\S+", accepted.message) if link.endswith("/workshops/")]
    assert len(assign_links) == 1 and assign_links[0].startswith(server + "/o/open-hearts/staff/"), accepted.message
    page.goto(assign_links[0])
    page.get_by_role("heading", name="Workshops Sam facilitates").wait_for()
    problems += laptop.axe("member-workshops")
    laptop.shot("member-workshops")
    choice = page.locator("label.check").first.inner_text()
    assert choice.startswith("Spring retreat · Published · from ") and choice.endswith(f"({RETREAT_ZONE})"), choice
    page.get_by_role("checkbox", name="Spring retreat").check()
    laptop.click("Save")
    laptop.see("Saved: Sam facilitates “Spring retreat”.")
    assert page.get_by_role("checkbox", name="Spring retreat").is_checked()
    # The staff page shows the invitation accepted; the retreat's page shows Sam among its facilitators.
    page.locator(".crumbs").get_by_role("link", name="Staff").click()
    page.get_by_role("heading", name="Staff", exact=True).wait_for()
    assert page.locator("#invitations").inner_text().endswith("None.")
    assert (
        page.locator("#invitations-accepted li")
        .inner_text()
        .startswith("Sam (sam@example.test) · Facilitator\naccepted ")
    )
    problems += laptop.axe("staff-accepted")
    laptop.shot("staff-accepted")
    page.get_by_role("navigation", name="Open Hearts").get_by_role("link", name="Workshops").click()
    page.locator("#main").get_by_role("link", name="Spring retreat").click()
    page.get_by_role("heading", name="Facilitators").wait_for()
    assert page.locator("#facilitators").get_by_label("Sam (Facilitator)").is_checked()
    assert not page.locator("#facilitators").get_by_label("Robin (Owner)").is_checked()

    # --- ... and the facilitator finds its two days on their home page ------------------------------------------------
    staff_page.get_by_role("link", name="Attune", exact=True).click()
    staff_page.get_by_role("heading", name="Sessions you facilitate").wait_for()
    assert staff_page.locator("#greeting").inner_text().startswith("Welcome to Attune, Sam!")  # their first visit
    facilitated = staff_page.locator("#your-sessions li")
    assert facilitated.count() == 2
    first_day, second_day = facilitated.nth(0).inner_text(), facilitated.nth(1).inner_text()
    assert first_day.startswith("Spring retreat · Day 1 · Open Hearts")
    assert f"{day_one:%a} {day_one.day} {day_one:%b %Y}, 10:00–17:00 ({RETREAT_ZONE})" in first_day
    assert second_day.startswith("Spring retreat · Day 2 · Open Hearts")
    assert f"{day_two:%a} {day_two.day} {day_two:%b %Y}, 09:30–15:00 ({RETREAT_ZONE})" in second_day
    assert facilitated.nth(0).get_by_role("link", name="Run this session").is_visible()
    problems += tablet.axe("facilitator-home")
    tablet.shot("facilitator-home")

    # --- a couple registers on the public page (the link the organizer shares), answering the questions ------------
    phone = screens.open("registering-couple", server, **PHONE)
    couple = phone.page
    couple.goto(public_url)
    couple.get_by_role("heading", name="Spring retreat").wait_for()
    when = couple.locator("main ul").first.inner_text()
    assert f"{day_one:%A} {day_one.day} {day_one:%B %Y}, 10:00–17:00 · Day 1" in when
    assert f"{day_two:%A} {day_two.day} {day_two:%B %Y}, 09:30–15:00 · Day 2" in when
    assert f"Times are in {RETREAT_ZONE}." in phone.text()
    problems += phone.axe("register")
    couple.get_by_label("First name or pseudonym").fill("Ana")
    couple.get_by_label("E-mail").fill("ana.and.ben@example.test")
    couple.get_by_label("Any dietary needs? (optional)").fill("Vegetarian, no nuts")
    couple.get_by_role("group", name="Room").get_by_label("Single").check()
    phone.shot("register")
    phone.click("Register")
    couple.get_by_role("heading", name="Check your e-mail").wait_for()
    problems += phone.axe("registered")
    assert _queued_mail("ana.and.ben@example.test", "Your place at Spring retreat")

    # --- the organizer reads the answers on the enrollments page ---------------------------------------------------
    page.reload()
    page.get_by_role("link", name="Enrollments", exact=True).click()
    page.get_by_role("heading", name="Enrollments").wait_for()
    confirmed = page.locator("#confirmed li")
    assert confirmed.count() == 1
    assert confirmed.locator("strong").inner_text() == "Ana"
    answers = confirmed.locator("dl.answers > div")
    assert [answers.nth(i).inner_text().split("\n") for i in range(answers.count())] == [
        ["Any dietary needs?", "Vegetarian, no nuts"],
        ["Room", "Single"],
    ]
    assert page.locator("#count-confirmed").inner_text() == "1"
    assert page.locator("#count-free").inner_text() == "7"
    problems += laptop.axe("enrollments")
    laptop.shot("enrollments")
    assert problems == []
