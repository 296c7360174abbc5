"""The built-in library: every step runs, every practice of the seed is covered, programs add up."""

import re
from collections import Counter

import pytest

from workshops.library_content import EXERCISES, PROGRAMS
from workshops.steps import STEP_KINDS, StepError, validate_step

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BY_KEY = {exercise["key"]: exercise for exercise in EXERCISES}
PROGRAMS_BY_KEY = {program["key"]: program for program in PROGRAMS}
ALL_STEPS = [(exercise["key"], index, step) for exercise in EXERCISES for index, step in enumerate(exercise["steps"])]


def step_minutes(exercise_key):
    return sum(step["duration_minutes"] for step in BY_KEY[exercise_key]["steps"])


def steps_of(exercise_key, kind):
    return [step for step in BY_KEY[exercise_key]["steps"] if step["kind"] == kind]


def agreement_kinds(exercise_key):
    return {step["config"]["agreement_kind"] for step in steps_of(exercise_key, "agreement")}


def part_totals(program_key):
    totals = Counter()
    for item in PROGRAMS_BY_KEY[program_key]["items"]:
        totals[item["part"]] += item["duration_minutes"]
    return dict(totals)


# --------------------------------------------------------------------- steps


@pytest.mark.parametrize(("exercise_key", "index", "step"), ALL_STEPS, ids=[f"{k}-{i}" for k, i, _ in ALL_STEPS])
def test_every_step_validates(exercise_key, index, step):
    spec = validate_step(step)
    assert spec.kind == step["kind"]


def test_validate_step_would_refuse_a_broken_library_step():
    # The check above is meaningful: the same validator rejects a library step with its config damaged.
    step = dict(steps_of("boundary-map", "worksheet")[0])
    step["config"] = {"sections": []}
    with pytest.raises(StepError) as excinfo:
        validate_step(step)
    assert "config.sections" in excinfo.value.errors


def test_every_step_has_a_title_and_non_break_steps_have_participant_text():
    for exercise_key, index, step in ALL_STEPS:
        assert step["title"].strip(), (exercise_key, index)
        if step["kind"] != "break":
            assert step["participant_text"].strip(), (exercise_key, index)
        assert step["facilitator_notes"].strip(), (exercise_key, index)


def test_steps_carry_all_common_fields():
    expected = {"kind", "title", "duration_minutes", "participant_text", "facilitator_notes", "content_note", "config"}
    for exercise_key, index, step in ALL_STEPS:
        assert set(step) == expected, (exercise_key, index)


def test_every_step_kind_is_used():
    assert {step["kind"] for _, _, step in ALL_STEPS} == set(STEP_KINDS)


def test_every_answer_reveal_variant_and_agreement_kind_is_used():
    answer_kinds = {
        step["config"].get("answer_kind", "text") for _, _, step in ALL_STEPS if step["kind"] == "answer_reveal"
    }
    assert answer_kinds == {"text", "choice", "scale"}
    kinds = {step["config"]["agreement_kind"] for _, _, step in ALL_STEPS if step["kind"] == "agreement"}
    assert kinds == {"trial_period", "pause_signal", "ritual", "conflict_plan"}


def test_polls_include_a_scale_and_a_single_choice():
    poll_kinds = {step["config"]["poll_kind"] for _, _, step in ALL_STEPS if step["kind"] == "poll"}
    assert {"scale", "single"} <= poll_kinds


def test_dialogue_timers_fit_in_the_step():
    for exercise_key, index, step in ALL_STEPS:
        if step["kind"] == "dialogue":
            config = step["config"]
            seconds = sum(phase["seconds"] for phase in config["phases"]) * config["rounds"]
            assert seconds <= step["duration_minutes"] * 60, (exercise_key, index)


def test_sensitive_exercises_carry_a_content_note():
    for key in ("naming-moments", "boundary-map", "consent-check-in", "old-scripts", "curiosity-experiment"):
        assert any(step["content_note"].strip() for step in BY_KEY[key]["steps"]), key


# ----------------------------------------------------------------- exercises


def test_at_least_twelve_exercises_with_unique_slug_keys():
    keys = [exercise["key"] for exercise in EXERCISES]
    assert len(keys) >= 12
    assert len(keys) == len(set(keys))
    for key in keys:
        assert SLUG.match(key), key


def test_exercise_fields():
    for exercise in EXERCISES:
        assert set(exercise) == {"key", "title", "summary", "practice", "steps"}, exercise["key"]
        assert exercise["title"].strip() and len(exercise["title"]) <= 120, exercise["key"]
        assert exercise["summary"].strip(), exercise["key"]
        assert exercise["practice"].strip(), exercise["key"]
        assert 2 <= len(exercise["steps"]) <= 6, exercise["key"]


def test_most_exercises_open_with_an_instruction():
    opening = [exercise["key"] for exercise in EXERCISES if exercise["steps"][0]["kind"] == "instruction"]
    assert len(opening) >= len(EXERCISES) - 2


# ------------------------------------------------------------------ practices


def test_naming_moments_without_blame():
    assert BY_KEY["naming-moments"]["practice"] == "Naming moments without blame"
    assert steps_of("naming-moments", "reflection")
    assert [s["config"]["answer_kind"] for s in steps_of("naming-moments", "answer_reveal")] == ["text", "choice"]


def test_check_in_ground_rules():
    worksheet = steps_of("check-in-ground-rules", "worksheet")[0]
    keys = [section["key"] for section in worksheet["config"]["sections"]]
    assert keys == ["when_where", "ground_rules", "understanding", "if_missed"]
    hint = worksheet["config"]["sections"][1]["hint"]
    assert "own experience" in hint and '"always"' in hint and "understood" in hint


def test_pause_signal():
    assert agreement_kinds("pause-signal") == {"pause_signal"}


def test_boundary_map_sections():
    worksheet = steps_of("boundary-map", "worksheet")[0]
    sections = [(section["key"], section["label"]) for section in worksheet["config"]["sections"]]
    assert sections == [
        ("non_negotiables", "Non-negotiables"),
        ("negotiables", "Negotiables"),
        ("to_revisit", "To revisit"),
    ]


def test_shared_goals_to_actions():
    worksheet = steps_of("goals-to-actions", "worksheet")[0]
    keys = [section["key"] for section in worksheet["config"]["sections"]]
    assert keys[:2] == ["shared_goals", "actions"]


def test_structured_disagreement_runs_the_four_phases_in_order():
    (dialogue,) = steps_of("structured-disagreement", "dialogue")
    assert [phase["key"] for phase in dialogue["config"]["phases"]] == ["summarize", "state", "explore", "agree"]
    assert dialogue["config"]["rounds"] == 2


def test_trial_period():
    (agreement,) = steps_of("trial-period", "agreement")
    assert agreement["config"]["agreement_kind"] == "trial_period"
    assert agreement["config"]["default_trial_days"] == 14


def test_consent_as_an_ongoing_check_in():
    assert BY_KEY["consent-check-in"]["practice"] == "Consent as an ongoing check-in"
    assert steps_of("consent-check-in", "reflection")
    assert {s["config"]["answer_kind"] for s in steps_of("consent-check-in", "answer_reveal")} == {"choice", "text"}


def test_emotion_labeling():
    (dialogue,) = steps_of("emotion-labeling", "dialogue")
    assert [phase["key"] for phase in dialogue["config"]["phases"]] == ["state", "explore"]
    (reveal,) = steps_of("emotion-labeling", "answer_reveal")
    assert reveal["config"]["answer_kind"] == "choice"


def test_curiosity_experiment_has_an_exit_plan():
    worksheet = steps_of("curiosity-experiment", "worksheet")[0]
    keys = [section["key"] for section in worksheet["config"]["sections"]]
    assert keys[0] == "exit_plan"
    assert {"ideas", "afterwards"} <= set(keys)
    (scale,) = steps_of("curiosity-experiment", "answer_reveal")
    assert scale["config"]["answer_kind"] == "scale"


def test_reframing_demands_as_invitations():
    (dialogue,) = steps_of("invitations-not-demands", "dialogue")
    assert [phase["key"] for phase in dialogue["config"]["phases"]] == ["summarize", "state"]


def test_conflict_pre_agreement_covers_timeouts_repair_and_follow_up():
    (agreement,) = steps_of("conflict-pre-agreement", "agreement")
    assert agreement["config"]["agreement_kind"] == "conflict_plan"
    prompt = agreement["config"]["prompt"]
    assert "Timeouts:" in prompt and "Repair:" in prompt and "Follow-up:" in prompt


def test_co_created_ritual():
    assert agreement_kinds("co-created-ritual") == {"ritual"}


def test_group_pulse_and_break():
    assert [s["config"]["poll_kind"] for s in steps_of("arrival-pulse", "poll")] == ["scale", "words"]
    assert (
        steps_of("arrival-pulse", "poll")[0]["config"]["question"] == "How safe does this room feel to you right now?"
    )
    assert [s["kind"] for s in BY_KEY["breather"]["steps"]] == ["break", "poll"]


# ------------------------------------------------------------------- programs


def test_program_keys_unique_and_both_present():
    keys = [program["key"] for program in PROGRAMS]
    assert len(keys) == len(set(keys))
    assert set(keys) == {"online-90", "retreat-2-day"}


def test_program_items_reference_existing_exercises():
    for program in PROGRAMS:
        for item in program["items"]:
            assert item["exercise"] in BY_KEY, (program["key"], item["exercise"])


def test_program_item_durations_cover_their_steps():
    for program in PROGRAMS:
        for item in program["items"]:
            assert item["duration_minutes"] >= step_minutes(item["exercise"]), (program["key"], item["exercise"])
            assert item["facilitator_notes"].strip(), (program["key"], item["exercise"])


def test_program_fields():
    for program in PROGRAMS:
        assert program["title"].strip() and len(program["title"]) <= 120
        assert program["description"].strip()
        assert program["format"] in {"online", "in_person", "hybrid"}


def test_online_90_is_exactly_ninety_minutes_in_one_part():
    program = PROGRAMS_BY_KEY["online-90"]
    assert program["format"] == "online"
    assert part_totals("online-90") == {1: 90}
    used = [item["exercise"] for item in program["items"]]
    assert "breather" in used
    assert any(steps_of(key, "poll") for key in used)


def test_retreat_has_three_parts_of_two_to_four_hours():
    program = PROGRAMS_BY_KEY["retreat-2-day"]
    assert program["format"] == "in_person"
    totals = part_totals("retreat-2-day")
    assert set(totals) == {1, 2, 3}
    for part, minutes in totals.items():
        assert 120 <= minutes <= 240, (part, minutes)
    parts = [item["part"] for item in program["items"]]
    assert parts == sorted(parts)


def test_retreat_covers_the_whole_library():
    used = {item["exercise"] for item in PROGRAMS_BY_KEY["retreat-2-day"]["items"]}
    assert used == set(BY_KEY)
