"""The built-in exercise library and programs: pure data, no Django.

Each exercise is an ordered list of steps in the shape ``workshops.steps.validate_step``
accepts. Programs are ordered lists of exercises with a duration, a part (a session
of the day) and notes for the facilitator. Texts are written for couples of every
kind: no assumptions about gender, roles or who holds more power.
"""


def _t(text: str) -> str:
    """Join a wrapped, indented paragraph into one line of plain text."""
    return " ".join(text.split())


EXERCISES = [
    # ------------------------------------------------------------------ arriving
    {
        "key": "arrival-pulse",
        "title": "Arriving: an anonymous pulse",
        "summary": _t("""
            A gentle start: two anonymous questions that show the facilitator how the room feels,
            without putting anyone on the spot.
        """),
        "practice": "Anonymous group pulse",
        "steps": [
            {
                "kind": "instruction",
                "title": "Welcome",
                "duration_minutes": 2,
                "participant_text": _t("""
                    Welcome. Nothing here asks you to share more than you want to. You can pass on any
                    question, and you never need to explain why. What you write in a private reflection
                    is never shown to anyone, your partner included. The next two questions are
                    anonymous: only the totals appear, never who answered what.
                """),
                "facilitator_notes": _t("""
                    Introduce yourself and the shape of the session in a few sentences. Say plainly that
                    passing is always allowed and needs no reason. Explain that poll answers are anonymous
                    and only shown as totals. Keep it short: people settle by doing, not by listening.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "poll",
                "title": "How safe does this room feel?",
                "duration_minutes": 2,
                "participant_text": "Answer honestly. Nobody, including the facilitator, can see who chose what.",
                "facilitator_notes": _t("""
                    Read the spread aloud without guessing at individuals. If several answers sit at the
                    low end, say so warmly, for example that some people are arriving with caution and
                    that makes complete sense, and take the next exercise a little slower.
                """),
                "content_note": "",
                "config": {
                    "question": "How safe does this room feel to you right now?",
                    "poll_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Not safe yet", "max_label": "Very safe"},
                },
            },
            {
                "kind": "poll",
                "title": "One word for how you arrive",
                "duration_minutes": 2,
                "participant_text": "One word is enough. Nervous, curious, tired: every word is welcome.",
                "facilitator_notes": _t("""
                    Show the words and read out a handful, including any that sound uneasy. Normalize
                    nerves: talking about closeness and power is new for most couples, and a little
                    awkwardness is a sign people are taking it seriously.
                """),
                "content_note": "",
                "config": {"question": "In one word, how are you arriving today?", "poll_kind": "words"},
            },
        ],
    },
    # ---------------------------------------------------- check-in ground rules
    {
        "key": "check-in-ground-rules",
        "title": "Our check-in and its ground rules",
        "summary": _t("""
            Couples set up a regular, protected time to talk about needs, limits and consent, and agree
            how they will talk in it: from their own experience, without sweeping statements, and
            checking they understood before replying.
        """),
        "practice": "Check-in ground rules",
        "steps": [
            {
                "kind": "instruction",
                "title": "Giving your conversations a home",
                "duration_minutes": 4,
                "participant_text": _t("""
                    Talking about intimacy goes better when it has a home: a time you both expect, a
                    place where you won't be interrupted, and a few rules that keep it kind. In this
                    exercise you'll decide when you check in, and how you'll talk while you do.
                """),
                "facilitator_notes": _t("""
                    Introduce three ground rules with one quick example each. Speak from your own
                    experience ("I felt rushed" rather than "you rush me"). Leave out "always" and
                    "never". Before answering, say back what you heard and ask whether you got it right.
                    Add that feeling exposed in these talks is ordinary, not a sign that something is
                    wrong.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "How often?",
                "duration_minutes": 3,
                "participant_text": _t("""
                    Choose what you would honestly like. You'll see both answers at the same time. If
                    they differ, that's useful to know, not a problem to solve right now.
                """),
                "facilitator_notes": _t("""
                    Couples often discover they picked different rhythms. Suggest they start with the
                    more frequent choice for a month and adjust, or meet in the middle.
                """),
                "content_note": "",
                "config": {
                    "prompt": "How often would you like a dedicated check-in about your intimate life?",
                    "answer_kind": "choice",
                    "options": [
                        "Every week",
                        "Every two weeks",
                        "Once a month",
                        "Only when one of us asks",
                        "I'm not sure yet",
                    ],
                },
            },
            {
                "kind": "worksheet",
                "title": "Write down your check-in",
                "duration_minutes": 12,
                "participant_text": _t("""
                    Fill this in together. Start from the three ground rules you just heard and add
                    anything that would help the two of you. Only you two can see this page.
                """),
                "facilitator_notes": _t("""
                    Watch for couples who write rules about the other person ("you won't interrupt").
                    Encourage rules both can keep. If a couple gets stuck on timing, suggest they choose
                    somewhere calm and outside the bedroom, at a moment when neither is tired or hurried.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "key": "when_where",
                            "label": "When and where",
                            "hint": "Day, time, place and how long. Somewhere private where you both feel at ease.",
                        },
                        {
                            "key": "ground_rules",
                            "label": "Our ground rules",
                            "hint": _t("""
                                Start with: speak from your own experience, skip "always" and "never",
                                check you understood before you respond. Add your own.
                            """),
                        },
                        {
                            "key": "understanding",
                            "label": "How we check we understood",
                            "hint": 'A phrase you\'ll both use, such as "So what matters to you is... is that right?"',
                        },
                        {
                            "key": "if_missed",
                            "label": "If we miss one",
                            "hint": "How you'll find a new time without blaming each other.",
                        },
                    ]
                },
            },
        ],
    },
    # ------------------------------------------------------------ pause signal
    {
        "key": "pause-signal",
        "title": "A pause signal we both trust",
        "summary": _t("""
            Each couple chooses a simple signal either partner can use when a conversation becomes too
            much, and agrees what happens next and when they will come back to it.
        """),
        "practice": "The pause signal",
        "steps": [
            {
                "kind": "instruction",
                "title": "Why a pause signal",
                "duration_minutes": 3,
                "participant_text": _t("""
                    Some topics land harder than expected. A pause signal lets either of you stop a
                    conversation straight away, with no explanation, and with a promise that you'll come
                    back to it. Using it isn't failing. It's how a hard conversation stays safe enough to
                    finish.
                """),
                "facilitator_notes": _t("""
                    Stress both halves of the agreement. The pause is honored at once, without questions
                    or sighs. And the topic is picked up again later, ideally at a time the person who
                    paused suggests. A signal that ends a topic for good becomes a way to win, not a way
                    to stay safe.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "What would you actually use?",
                "duration_minutes": 2,
                "participant_text": "Pick the kind of signal you could really give when you're flooded or upset.",
                "facilitator_notes": "Remind couples the signal has to be easy for the person who needs it most.",
                "content_note": "",
                "config": {
                    "prompt": "What kind of signal would be easiest for you to use in the moment?",
                    "answer_kind": "choice",
                    "options": [
                        "A word or short phrase",
                        "A hand gesture",
                        "A touch, like squeezing a hand",
                        "An object we put on the table",
                        "A text message",
                        "Something else",
                    ],
                },
            },
            {
                "kind": "agreement",
                "title": "Agree your pause signal",
                "duration_minutes": 8,
                "participant_text": _t("""
                    Write your signal and the promise that goes with it. Keep it simple enough to
                    remember when you're upset. You can change it later.
                """),
                "facilitator_notes": _t("""
                    Check that each agreement answers three questions: what the signal is, what both do
                    right after it, and when the topic comes back. If a couple only wrote the signal,
                    ask them about the return.
                """),
                "content_note": "",
                "config": {
                    "agreement_kind": "pause_signal",
                    "prompt": _t("""
                        Describe your pause signal, what each of you does right after it is used, and when
                        you'll return to the topic.
                    """),
                    "suggestions": [
                        'A word only we use, such as "amber"',
                        "A raised palm, held for a moment",
                        "Two gentle squeezes of the hand",
                        "We stop, take three slow breaths and get some water",
                        "The person who paused suggests when to pick it up again",
                        "We come back to it within a day",
                    ],
                },
            },
            {
                "kind": "instruction",
                "title": "Try it once",
                "duration_minutes": 2,
                "participant_text": _t("""
                    Start chatting about something easy, like what to cook this weekend. At any moment,
                    either of you gives the signal. Stop, breathe, and notice what it feels like to give
                    it and to receive it.
                """),
                "facilitator_notes": _t("""
                    Keep the rehearsal light; laughter is fine. Afterwards ask the room, without naming
                    anyone, whether receiving the signal felt harder than giving it. It often does.
                """),
                "content_note": "",
                "config": {},
            },
        ],
    },
    # ---------------------------------------------------------- naming moments
    {
        "key": "naming-moments",
        "title": "Naming moments, without blame",
        "summary": _t("""
            Partners privately recall real moments when they felt small or found themselves steering
            things, then each share one, describing its effect on trust and closeness rather than
            assigning fault.
        """),
        "practice": "Naming moments without blame",
        "steps": [
            {
                "kind": "instruction",
                "title": "Noticing who decides",
                "duration_minutes": 3,
                "participant_text": _t("""
                    Every couple has patterns in who decides, who waits and who speaks first. Most were
                    never chosen on purpose; they drift in from upbringing, earlier relationships or how
                    sure of ourselves we feel. Here you'll notice a
                    few real moments, not to judge them, but so you can both see them clearly.
                    You can pass on anything, and you never need to say why.
                """),
                "facilitator_notes": _t("""
                    Set the frame: influence is something to notice, not something to prosecute. Ask for
                    concrete moments ("last Saturday, when we...") over general statements. Point out that
                    noticing when you held more sway is just as valuable as noticing when you held less.
                    If anyone looks distressed, remind them of the pause signal and offer a quiet minute.
                """),
                "content_note": _t("""
                    May bring up memories of pressure or coercion, past or present. Remind everyone they
                    can pass or pause at any time.
                """),
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "Private notes",
                "duration_minutes": 7,
                "participant_text": _t("""
                    Only you will ever see what you write here: not your partner, not the facilitator.
                    Write as much or as little as you like, or simply think.
                """),
                "facilitator_notes": "Keep the room quiet. Give a one-minute warning before moving on.",
                "content_note": "May touch past coercion; remind everyone they can pass or pause.",
                "config": {
                    "prompts": [
                        "Recall a recent moment when your voice seemed to count for less. What happened?",
                        "Recall a moment when you may have steered things more than you meant to. What happened?",
                        "How did each moment affect your trust, your closeness or your desire?",
                        "What feelings tend to show up when you want something but hold back?",
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "Share one moment",
                "duration_minutes": 8,
                "participant_text": _t("""
                    Choose a moment you're ready to share; it doesn't need to be the biggest one. You'll
                    see each other's answers at the same time. Afterwards, thank each other, and ask one
                    curious question each if you'd like to. Passing is fine.
                """),
                "facilitator_notes": _t("""
                    Before couples write, model a blame-free sentence yourself, for example: "When we
                    booked the trip, I went along quietly and then felt far away from you all evening."
                    Remind them that the partner's job after the reveal is to listen and thank, not to
                    defend or correct.
                """),
                "content_note": "May touch past coercion; remind everyone they can pass or pause.",
                "config": {
                    "prompt": _t("""
                        In a sentence or two, starting with "I", describe one moment and how it affected
                        you. Leave out guesses about your partner's motives.
                    """),
                    "answer_kind": "text",
                },
            },
            {
                "kind": "answer_reveal",
                "title": "One small shift",
                "duration_minutes": 4,
                "participant_text": "Pick the change that would help you most. Small is good.",
                "facilitator_notes": _t("""
                    This turns noticing into a first step. Invite couples to try each other's choice
                    this week, and to mention at their next check-in how it went.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Which small change would help you feel you have an equal say?",
                    "answer_kind": "choice",
                    "options": [
                        "Being asked what I'd like first",
                        "Taking turns choosing",
                        "Having time to think before I answer",
                        'Hearing "no" accepted easily',
                        "Talking things over outside the bedroom",
                        "Something else",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------- boundary map
    {
        "key": "boundary-map",
        "title": "Our boundary map",
        "summary": _t("""
            Each partner privately sorts their own limits, then the couple builds a shared map of what
            is fixed, what can shift with mood or context, and what to look at again later.
        """),
        "practice": "Boundary map: non-negotiables and negotiables",
        "steps": [
            {
                "kind": "instruction",
                "title": "What boundaries are for",
                "duration_minutes": 4,
                "participant_text": _t("""
                    A boundary is less a fence than a map: it shows your partner where you feel safe,
                    relaxed and free to enjoy yourself. Knowing them means nobody has
                    to guess, and nobody gets to decide by default. Some limits are fixed; others depend on
                    the day, your energy or the setting. Both kinds deserve respect.
                """),
                "facilitator_notes": _t("""
                    Offer the idea that a boundary is a gift: it tells your partner how to take care of
                    you. Give neutral examples across areas: activities, pace, timing, privacy and
                    emotional safety (for example, "no serious talks after midnight"). Say that the map
                    belongs to the couple and you will not see it, and that a non-negotiable needs no
                    justification.
                """),
                "content_note": _t("""
                    Discusses sexual limits and safety. Some people may recall times their limits were
                    ignored; remind everyone they can pass, pause or keep any item private.
                """),
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "Sort your own limits first",
                "duration_minutes": 6,
                "participant_text": _t("""
                    Jot down your own answers before you build the shared map. This page is yours alone.
                    You decide what moves across to the map and what stays here.
                """),
                "facilitator_notes": "Quiet time. Some people write nothing and just think, which is fine.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "What is a firm no for you, whatever the mood or moment?",
                        "What depends on how you feel, the time, or where you are?",
                        "Is there anything you're unsure about and would rather leave for another day?",
                    ]
                },
            },
            {
                "kind": "worksheet",
                "title": "Build the shared map",
                "duration_minutes": 20,
                "participant_text": _t("""
                    Add items together, taking turns. Anything one of you calls a non-negotiable goes
                    straight onto the map, no debate. For negotiables, say what tends to make them easier
                    or harder.
                    You can pass on anything, and you never need to say why.
                """),
                "facilitator_notes": _t("""
                    Join a couple only if invited. Watch for one partner doing all the writing and suggest
                    taking turns. If a couple argues over whether something should count as a
                    non-negotiable, remind them that a limit is accepted, not negotiated. Give a five-minute
                    warning.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "key": "non_negotiables",
                            "label": "Non-negotiables",
                            "hint": _t("""
                                Limits that hold no matter what: activities, pace, emotional safety. No
                                reasons needed.
                            """),
                        },
                        {
                            "key": "negotiables",
                            "label": "Negotiables",
                            "hint": _t("""
                                Things that can shift with mood, energy or setting. Note what makes a yes
                                more or less likely.
                            """),
                        },
                        {
                            "key": "to_revisit",
                            "label": "To revisit",
                            "hint": _t("""
                                Anything to look at again, and roughly when: after a big change, a
                                stressful stretch, or in a few months.
                            """),
                        },
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "How clear is it now?",
                "duration_minutes": 3,
                "participant_text": "Answer for yourself. You'll both see the numbers together.",
                "facilitator_notes": _t("""
                    A low number is not a failure: it shows where to pick up at the next check-in.
                    Suggest couples put a date next to anything in "To revisit".
                """),
                "content_note": "",
                "config": {
                    "prompt": "How clear do your partner's boundaries feel to you now?",
                    "answer_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Still unclear", "max_label": "Very clear"},
                },
            },
        ],
    },
    # --------------------------------------------------------- goals to actions
    {
        "key": "goals-to-actions",
        "title": "From shared goals to small actions",
        "summary": _t("""
            Partners name what they each want more of, find where their wishes overlap, and turn those
            shared goals into small, concrete actions with a fair share for each.
        """),
        "practice": "Shared goals to actions",
        "steps": [
            {
                "kind": "instruction",
                "title": "An equal say",
                "duration_minutes": 3,
                "participant_text": _t("""
                    Fairness in deciding isn't measured in minutes of talking. What counts is that neither
                    of your views is quietly treated as the default. A good way in is to find what you both want,
                    then turn it into steps small enough to actually take.
                """),
                "facilitator_notes": _t("""
                    Give examples of shared goals that are not about performance: feeling closer, finding
                    it easier to talk, more playfulness, more rest. Ask couples to look for overlap first
                    and differences second.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "What would you like more of?",
                "duration_minutes": 5,
                "participant_text": "Write one wish. You'll see each other's at the same time. You can pass.",
                "facilitator_notes": "If answers seem far apart, suggest looking for the feeling underneath each wish.",
                "content_note": "",
                "config": {
                    "prompt": "What is one thing you'd love more of in your intimate life together?",
                    "answer_kind": "text",
                },
            },
            {
                "kind": "worksheet",
                "title": "Goals into actions",
                "duration_minutes": 15,
                "participant_text": _t("""
                    Start with what you both want, then choose actions small enough to do in the next two
                    weeks. Make sure each of you suggests at least one action.
                """),
                "facilitator_notes": _t("""
                    Nudge vague goals toward concrete ones: "be more affectionate" might become "a long
                    hug when we both get home". Check that the actions are shared fairly and that both
                    partners proposed something.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "key": "shared_goals",
                            "label": "Goals we share",
                            "hint": "Where your wishes overlap: more closeness, easier talks, more play...",
                        },
                        {
                            "key": "actions",
                            "label": "Small actions",
                            "hint": "Concrete, doable within two weeks. Who does what, and when?",
                        },
                        {
                            "key": "signs",
                            "label": "How we'll know it's working",
                            "hint": "Something you would both notice, however small. Celebrate it when it happens.",
                        },
                    ]
                },
            },
        ],
    },
    # ----------------------------------------------------- structured disagreement
    {
        "key": "structured-disagreement",
        "title": "A structured disagreement",
        "summary": _t("""
            A timed, turn-taking conversation about a small disagreement: each partner sums up the
            other's view, states their own, explores options together and agrees on something to try.
        """),
        "practice": "The structured disagreement",
        "steps": [
            {
                "kind": "instruction",
                "title": "How the turns work",
                "duration_minutes": 5,
                "participant_text": _t("""
                    You'll take turns as speaker and listener, with a timer for each phase. The speaker
                    first sums up what their partner wants, then says what they want. Together you look
                    for options that could work for both, and agree on one small thing to try. Then you
                    swap roles. Pick a small topic for practice, not the biggest one you have.
                """),
                "facilitator_notes": _t("""
                    Walk through the four phases. Model one round briefly with a co-facilitator or an
                    everyday example, such as how to spend a free Sunday. Suggest a topic that feels like
                    a three out of ten, not a nine. The aim is for both to feel heard, not for anyone to
                    win. Remind couples of their pause signal.
                """),
                "content_note": _t("""
                    Some couples may choose a topic that turns out heavier than expected. Encourage small
                    topics and remind everyone they can pause or stop.
                """),
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "Where each of you stands",
                "duration_minutes": 4,
                "participant_text": _t("""
                    Agree on a small topic first. Then each write your view. You'll see both at once, which
                    gives each of you something to sum up in the next step.
                """),
                "facilitator_notes": "Check that couples have picked a topic before they start writing.",
                "content_note": "",
                "config": {
                    "prompt": "Name the topic, then say in a sentence or two what you'd like and why it matters.",
                    "answer_kind": "text",
                },
            },
            {
                "kind": "dialogue",
                "title": "Take turns",
                "duration_minutes": 20,
                "participant_text": _t("""
                    Follow the timer on your phone. When a round ends, swap roles. Either of you can use
                    your pause signal at any point.
                """),
                "facilitator_notes": _t("""
                    Call out phase changes if the room needs help keeping time. Listen for rebuttals
                    creeping into the "Say your view" phase and gently remind couples that the listener
                    only listens there. In "Agree", a small trial is enough; nothing has to be settled
                    for good.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": "The topic you chose together. Keep it small enough to settle in one conversation.",
                    "phases": [
                        {
                            "key": "summarize",
                            "label": "Sum up your partner",
                            "instructions": _t("""
                                Speaker: say your partner's view back in your own words, as fairly as you can.
                                Listener: confirm it, or gently correct it until it feels right.
                            """),
                            "seconds": 120,
                        },
                        {
                            "key": "state",
                            "label": "Say your view",
                            "instructions": _t("""
                                Speaker: say what you want and how you feel, starting with "I". Listener: just
                                listen; your turn comes.
                            """),
                            "seconds": 180,
                        },
                        {
                            "key": "explore",
                            "label": "Explore options",
                            "instructions": _t("""
                                Together: put at least two possible compromises on the table. No idea is ruled
                                out until you've both had your say about it.
                            """),
                            "seconds": 180,
                        },
                        {
                            "key": "agree",
                            "label": "Agree something to try",
                            "instructions": _t("""
                                Together: pick one option to try for a set time, and say it out loud in one
                                sentence.
                            """),
                            "seconds": 120,
                        },
                    ],
                    "rounds": 2,
                },
            },
            {
                "kind": "answer_reveal",
                "title": "How heard did you feel?",
                "duration_minutes": 3,
                "participant_text": "Answer for yourself; you'll both see the numbers together.",
                "facilitator_notes": _t("""
                    Invite couples to name one thing their partner did that helped them feel heard. That
                    is a small win worth celebrating.
                """),
                "content_note": "",
                "config": {
                    "prompt": "How heard did you feel in that conversation?",
                    "answer_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Not heard", "max_label": "Fully heard"},
                },
            },
        ],
    },
    # ------------------------------------------------------------- trial period
    {
        "key": "trial-period",
        "title": "Try it for a while: a trial period",
        "summary": _t("""
            Couples turn a decision into a time-limited experiment with a review date, so neither partner
            has to commit forever and both get a say in what happens next.
        """),
        "practice": "Trial period",
        "steps": [
            {
                "kind": "instruction",
                "title": "Not forever, just for now",
                "duration_minutes": 3,
                "participant_text": _t("""
                    A decision doesn't have to be permanent. Agreeing to try something for a set time
                    lowers the stakes: you both know there will be a moment to look back and adjust. At the
                    end you'll ask what worked, what didn't, and what you want to keep.
                """),
                "facilitator_notes": _t("""
                    If couples just did the structured disagreement, they can use what they agreed there.
                    Otherwise, suggest something small from their goals or check-in. Point out that
                    either partner may end a trial early, and that doing so is information, not betrayal.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "How long feels right?",
                "duration_minutes": 2,
                "participant_text": "Choose what feels fair to you. You'll see both answers together.",
                "facilitator_notes": "If the answers differ, suggest starting with the shorter period.",
                "content_note": "",
                "config": {
                    "prompt": "How long would feel right for trying out what you agreed?",
                    "answer_kind": "choice",
                    "options": ["One week", "Two weeks", "A month", "Until our next check-in"],
                },
            },
            {
                "kind": "agreement",
                "title": "Agree the trial",
                "duration_minutes": 8,
                "participant_text": _t("""
                    Write down what you'll try, for how long, and how you'll look back on it together. Set
                    the end date you chose.
                """),
                "facilitator_notes": _t("""
                    Check every trial has an end date and a review moment. Suggest the review happens at
                    a regular check-in, so it doesn't need a separate decision.
                """),
                "content_note": "",
                "config": {
                    "agreement_kind": "trial_period",
                    "prompt": _t("""
                        What will you try, until when, and how will you review it together? Add what
                        either of you can do if it isn't working before the end.
                    """),
                    "suggestions": [
                        "We review it at our next check-in",
                        "Either of us can stop early, and we'll talk about it without blame",
                        "At the review, we each name one thing that went well",
                        "We keep a short shared note of what we notice",
                    ],
                    "default_trial_days": 14,
                },
            },
            {
                "kind": "answer_reveal",
                "title": "A sign it's going well",
                "duration_minutes": 4,
                "participant_text": "Write one small sign you'd notice. You'll see each other's at the same time.",
                "facilitator_notes": "Encourage couples to say out loud when they spot each other's sign.",
                "content_note": "",
                "config": {"prompt": "What small sign would tell you this trial is going well?", "answer_kind": "text"},
            },
        ],
    },
    # -------------------------------------------------------- consent check-in
    {
        "key": "consent-check-in",
        "title": "Consent as an ongoing conversation",
        "summary": _t("""
            Couples explore consent as something that can change from day to day, practice open
            check-in questions, and tell each other what makes a pause or a "no" easy to say.
        """),
        "practice": "Consent as an ongoing check-in",
        "steps": [
            {
                "kind": "instruction",
                "title": "A choice you can always remake",
                "duration_minutes": 4,
                "participant_text": _t("""
                    Consent isn't a box you tick once. It's something each of you gives, and can take
                    back, moment by moment. Your wishes can change from one evening to the next; that's
                    part of being human, not a problem to fix. When "not now" is easy to say, "yes" means more.
                """),
                "facilitator_notes": _t("""
                    Make the point that a yes from last week says nothing about tonight: ask, don't presume.
                    Offer a few open questions in
                    your own words, for example: "What would you enjoy tonight?", "Is there anything that
                    would feel like a breach of trust?", "Which limits are staying where they are?" Stress
                    that a pause or a no is received without sulking, persuading or asking for reasons.
                """),
                "content_note": _t("""
                    Touches on consent and declining. Some participants may have lived through pressure or
                    coercion; remind everyone they can pass or pause, and say where support is available.
                """),
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "What makes a no easy?",
                "duration_minutes": 5,
                "participant_text": "This is private. Nobody else will see it, your partner included.",
                "facilitator_notes": "Quiet time. Remind people they can simply think rather than write.",
                "content_note": "May touch past coercion; remind everyone they can pass or pause.",
                "config": {
                    "prompts": [
                        'When is it easy for you to say "not now", and when is it hard?',
                        'What does your partner do, or could they do, that makes a "no" feel safe to say?',
                        "How do you usually show enthusiasm, and how might your partner miss it?",
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "How do you like to check in?",
                "duration_minutes": 3,
                "participant_text": "Pick what feels most natural to you. You'll see both answers together.",
                "facilitator_notes": _t("""
                    Point out that there is no right answer; many couples mix several. What matters is
                    that both know the other's preference.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Which kind of check-in feels most natural to you?",
                    "answer_kind": "choice",
                    "options": [
                        "A quiet question in the moment",
                        "A word or signal we've agreed on",
                        "A pause and some eye contact",
                        "Talking about it beforehand",
                        "Talking about it afterwards",
                        "A mix, depending on the day",
                    ],
                },
            },
            {
                "kind": "answer_reveal",
                "title": "When I pause",
                "duration_minutes": 6,
                "participant_text": _t("""
                    Finish the sentence for your partner. You'll see each other's answers together. Read
                    them and thank each other; there's nothing to debate here. You can pass.
                """),
                "facilitator_notes": _t("""
                    After the reveal, suggest each partner repeats the other's answer back in their own
                    words. That confirms it was heard and makes it easier to remember.
                """),
                "content_note": "",
                "config": {
                    "prompt": 'Finish this sentence: "When I pause or say no, what helps me most is..."',
                    "answer_kind": "text",
                },
            },
        ],
    },
    # ----------------------------------------------------------- emotion labeling
    {
        "key": "emotion-labeling",
        "title": "Name it, breathe, come back",
        "summary": _t("""
            Partners practice a short loop for heated moments: put a word to the feeling, breathe once,
            then turn back toward the other person with a question.
        """),
        "practice": "Emotion labeling",
        "steps": [
            {
                "kind": "instruction",
                "title": "A small loop for big feelings",
                "duration_minutes": 4,
                "participant_text": _t("""
                    When something stirs you up, naming the feeling in a word or two takes some of the heat
                    out of it. Then take one breath and turn your attention back to your partner: what
                    might this be like for them? You'll practice that loop on something small.
                """),
                "facilitator_notes": _t("""
                    Demonstrate the loop out loud: "I'm noticing I feel defensive." Breathe. "Tell me more
                    about what that was like for you." Mention that old hurts and habits shape what sets
                    us off, and that knowing your own patterns is part of caring for your partner.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "Your own patterns",
                "duration_minutes": 5,
                "participant_text": "Private to you. Keep it light; no need to write details you'd rather not.",
                "facilitator_notes": "Quiet time. Offer the pause signal to anyone who seems unsettled.",
                "content_note": _t("""
                    Asks about triggers and past hurts. Keep it private and light; nobody needs to revisit
                    details.
                """),
                "config": {
                    "prompts": [
                        "What topics or moments tend to set off a strong reaction in you?",
                        "Where might you have learned to react that way? No details needed.",
                        "What do you notice in your body just before you react?",
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "What shows up first?",
                "duration_minutes": 3,
                "participant_text": "Choose the closest word. You'll both see the answers together.",
                "facilitator_notes": _t("""
                    Knowing the partner's first feeling helps read them kindly: "shut down" often looks
                    like not caring, when it's really overwhelm.
                """),
                "content_note": "",
                "config": {
                    "prompt": "When a talk about intimacy gets hard, which feeling tends to show up first for you?",
                    "answer_kind": "choice",
                    "options": [
                        "Anxious",
                        "Embarrassed",
                        "Frustrated",
                        "Sad",
                        "Numb or shut down",
                        "Defensive",
                        "Something else",
                    ],
                },
            },
            {
                "kind": "dialogue",
                "title": "Practice the loop",
                "duration_minutes": 7,
                "participant_text": _t("""
                    Pick a small moment from this week, nothing heavy. Follow the timer, then swap roles.
                """),
                "facilitator_notes": _t("""
                    Listen for listeners who jump to advice or reassurance; the task is one open question
                    and then listening.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": "A small moment from this week that stirred a feeling in you. Nothing heavy.",
                    "phases": [
                        {
                            "key": "state",
                            "label": "Name it",
                            "instructions": _t("""
                                Speaker: describe the moment in a sentence, then name the feeling in a word or
                                two. Take one slow breath together.
                            """),
                            "seconds": 60,
                        },
                        {
                            "key": "explore",
                            "label": "Get curious",
                            "instructions": _t("""
                                Listener: ask one open question about your partner's experience, then just
                                listen. Speaker: answer as much or as little as you like.
                            """),
                            "seconds": 120,
                        },
                    ],
                    "rounds": 2,
                },
            },
        ],
    },
    # ------------------------------------------------------ curiosity experiment
    {
        "key": "curiosity-experiment",
        "title": "A curiosity experiment, with an exit plan",
        "summary": _t("""
            Couples treat trying something new as a shared experiment: ideas from both, explicit agreement,
            an exit plan decided in advance, and notes afterwards on what worked and what surprised them.
        """),
        "practice": "Curiosity experiments with an exit plan",
        "steps": [
            {
                "kind": "instruction",
                "title": "A shared experiment",
                "duration_minutes": 4,
                "participant_text": _t("""
                    New things go best when you approach them as co-researchers, with nothing to prove.
                    You both bring ideas, you both agree, and you both know exactly how to stop. Afterwards
                    you compare notes with curiosity, not scores.
                """),
                "facilitator_notes": _t("""
                    Say that "new" can be small: a different time of day, a new way of asking, a massage
                    with no expectations attached. Ideas come from both partners, and either can veto one
                    without giving a reason. The exit plan is agreed before, not improvised during.
                """),
                "content_note": _t("""
                    Touches on sexual preferences and novelty. Remind everyone that "not right now" is a
                    complete answer and that no idea has to be shared.
                """),
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "How open do you feel?",
                "duration_minutes": 2,
                "participant_text": _t("""
                    Any answer is fine. If either of you chooses the low end, use the worksheet to note
                    what you'd like to keep just as it is.
                """),
                "facilitator_notes": _t("""
                    Be explicit that the lower answer sets the pace. A couple where one partner says "not
                    right now" has done this exercise well if that answer was respected.
                """),
                "content_note": "",
                "config": {
                    "prompt": "How open do you feel to trying something new together in the coming weeks?",
                    "answer_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Not right now", "max_label": "Very open"},
                },
            },
            {
                "kind": "reflection",
                "title": "Your private list",
                "duration_minutes": 4,
                "participant_text": "Only you see this. You choose what, if anything, to bring to your partner.",
                "facilitator_notes": "Quiet time.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "What are you curious to try, or to do differently? Think small as well as bold.",
                        "Which of these would you feel comfortable mentioning today?",
                    ]
                },
            },
            {
                "kind": "worksheet",
                "title": "Plan the experiment",
                "duration_minutes": 14,
                "participant_text": _t("""
                    Only ideas you both say yes to go on this page. Either of you can remove an idea at any
                    time, no reason needed. Agree the exit plan before anything else.
                """),
                "facilitator_notes": _t("""
                    Check that every couple has filled in the exit plan, even if they have no ideas yet.
                    Suggest they keep the "afterwards" notes short so writing them never becomes a chore.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "key": "exit_plan",
                            "label": "Our exit plan",
                            "hint": "How either of you stops or changes course in the moment, and what happens next.",
                        },
                        {
                            "key": "ideas",
                            "label": "Ideas we're both curious about",
                            "hint": "Only ideas you both said yes to. Small ones count.",
                        },
                        {
                            "key": "afterwards",
                            "label": "What we noticed afterwards",
                            "hint": "What worked, what didn't, what surprised you. A few words each is plenty.",
                        },
                    ]
                },
            },
        ],
    },
    # ------------------------------------------------------ demands to invitations
    {
        "key": "invitations-not-demands",
        "title": "From demands to invitations",
        "summary": _t("""
            Partners turn a phrase that tends to land as pressure into an invitation, share it, and
            practice reflecting back what they heard before adding their own feelings.
        """),
        "practice": "Reframing demands as invitations",
        "steps": [
            {
                "kind": "instruction",
                "title": "Same wish, different words",
                "duration_minutes": 4,
                "participant_text": _t("""
                    The same wish can land as pressure or as an invitation. A demand tells your partner
                    what they're doing wrong; an invitation says how you feel and asks to decide together.
                    For example, "You never plan anything for us" could become "I've been feeling left out
                    of our plans lately. Could we choose something for next weekend together?"
                """),
                "facilitator_notes": _t("""
                    Break the example into its parts: a feeling, a specific request, and room for the other
                    person to answer freely. Mention that silence can also act as a demand, and that
                    speaking up gently is part of sharing power.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "Find your phrase",
                "duration_minutes": 4,
                "participant_text": "Private to you. Try a couple of versions until one sounds like you.",
                "facilitator_notes": "Quiet time.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "Think of something you sometimes say that might land as pressure or criticism.",
                        "Rewrite it: say how you feel, ask for something specific, and leave room for a no.",
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "Share your invitation",
                "duration_minutes": 5,
                "participant_text": "Share the version you're happy with. You'll see both together. You can pass.",
                "facilitator_notes": "Remind couples the invitation is practice; nobody has to say yes to it today.",
                "content_note": "",
                "config": {
                    "prompt": "Write your invitation: one feeling, one specific request, and room to answer freely.",
                    "answer_kind": "text",
                },
            },
            {
                "kind": "dialogue",
                "title": "Reflect, then respond",
                "duration_minutes": 7,
                "participant_text": "Follow the timer, then swap roles so each invitation gets its turn.",
                "facilitator_notes": _t("""
                    Listen for responses that attack character ("that's typical of you"). Redirect toward
                    feelings and what each person would be up for.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": "Your partner's invitation from the previous step.",
                    "phases": [
                        {
                            "key": "summarize",
                            "label": "Reflect back",
                            "instructions": _t("""
                                Speaker: say back what you heard in your partner's invitation, including the
                                feeling. Listener: confirm or gently correct.
                            """),
                            "seconds": 60,
                        },
                        {
                            "key": "state",
                            "label": "Respond",
                            "instructions": _t("""
                                Speaker: add your own feelings about it, and say honestly what you'd be up for.
                                Listener: just listen.
                            """),
                            "seconds": 120,
                        },
                    ],
                    "rounds": 2,
                },
            },
        ],
    },
    # ------------------------------------------------------ conflict pre-agreement
    {
        "key": "conflict-pre-agreement",
        "title": "Our plan for hard moments",
        "summary": _t("""
            While calm, couples agree how they will handle conflicts about sex and closeness: how to take a
            timeout, how to begin repairing, and when to talk again to check the impact.
        """),
        "practice": "Conflict pre-agreement",
        "steps": [
            {
                "kind": "instruction",
                "title": "Decide while you're calm",
                "duration_minutes": 4,
                "participant_text": _t("""
                    Disagreements about sex and closeness will happen. Deciding now, while you're calm, how
                    you'll handle them makes them much less likely to turn into a contest. Your plan has
                    three parts: how to take a timeout, how to start making up, and when you'll talk again
                    to see how it landed.
                """),
                "facilitator_notes": _t("""
                    Frame a conflict as a chance to learn something about each other, not a contest with
                    a winner. Explain that repair attempts work best when they're short and familiar, which
                    is why it helps to choose them in advance.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "What do you need first?",
                "duration_minutes": 3,
                "participant_text": "Choose what's most true for you. You'll both see the answers together.",
                "facilitator_notes": _t("""
                    Partners often need opposite things: one wants space, the other wants closeness.
                    Name that as common, and let the plan honor both.
                """),
                "content_note": "",
                "config": {
                    "prompt": "When a disagreement heats up, what do you need most at first?",
                    "answer_kind": "choice",
                    "options": [
                        "A few minutes alone",
                        "A short walk",
                        "To stay close but quiet",
                        "To keep talking, more slowly",
                        "To sleep on it",
                        "I'm not sure",
                    ],
                },
            },
            {
                "kind": "reflection",
                "title": "Your repair words",
                "duration_minutes": 4,
                "participant_text": "Private to you. You'll bring what you want into the plan next.",
                "facilitator_notes": "Quiet time.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "What could you say to start making up after a hard moment, that you'd truly mean?",
                        "What makes it easier for you to accept a repair attempt from your partner?",
                    ]
                },
            },
            {
                "kind": "agreement",
                "title": "Write your conflict plan",
                "duration_minutes": 12,
                "participant_text": _t("""
                    Write your plan in three parts: timeouts, repair, and a follow-up talk. Keep it short
                    enough to remember in the middle of an argument.
                """),
                "facilitator_notes": _t("""
                    Check that each plan covers all three parts, and that the follow-up talk has a rough
                    time frame. Suggest the follow-up asks "How did that affect you?" rather than "Who was
                    right?".
                """),
                "content_note": "",
                "config": {
                    "agreement_kind": "conflict_plan",
                    "prompt": _t("""
                        Timeouts: how either of you calls one and how long it lasts. Repair: a phrase or
                        gesture each of you will use to reach back. Follow-up: when you'll talk again to
                        check how it affected you both.
                    """),
                    "suggestions": [
                        "Whoever calls a timeout says when they'll be back",
                        "Timeouts last between 20 minutes and an hour",
                        "No big decisions during a timeout",
                        '"I want us to be okay. Can we try again?"',
                        '"I got that wrong, and I\'m sorry for how it landed."',
                        "Offering an open hand as a way to reach back",
                        "A follow-up talk within two days, somewhere calm, like on a walk",
                        "At the follow-up, each says what they needed and what helped",
                    ],
                },
            },
        ],
    },
    # ----------------------------------------------------------- rituals
    {
        "key": "co-created-ritual",
        "title": "A ritual of our own",
        "summary": _t("""
            Couples design a small, repeatable ritual together, such as a monthly check-in, a shared wish
            list or a signal for unhurried time, that keeps fairness and warmth going after the workshop.
        """),
        "practice": "Co-created rituals",
        "steps": [
            {
                "kind": "instruction",
                "title": "Small and regular",
                "duration_minutes": 3,
                "participant_text": _t("""
                    Small things done regularly shape a relationship more than grand gestures. A ritual you
                    design together keeps fairness and warmth going long after today, because it belongs to
                    both of you.
                """),
                "facilitator_notes": _t("""
                    Offer a range of examples: a monthly check-in, a shared note of wishes either partner
                    can add to, a signal that says "I'd like unhurried time tonight" and can be answered
                    either way. Stress consistency and tenderness over ambition.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "What already works",
                "duration_minutes": 5,
                "participant_text": "Write one moment. You'll see each other's answers at the same time.",
                "facilitator_notes": "Rituals built on something that already works tend to last.",
                "content_note": "",
                "config": {
                    "prompt": "What's a small moment that already makes you feel close, or used to?",
                    "answer_kind": "text",
                },
            },
            {
                "kind": "agreement",
                "title": "Design your ritual",
                "duration_minutes": 10,
                "participant_text": _t("""
                    Describe what you'll do, how often, and who starts it. Taking turns is a good way to
                    keep it fair. Keep it small enough that you'll actually do it.
                """),
                "facilitator_notes": _t("""
                    Check each ritual has a clear repeat rhythm and that both partners have a role in it.
                    If a couple designs something elaborate, ask what the smallest version would be.
                """),
                "content_note": "",
                "config": {
                    "agreement_kind": "ritual",
                    "prompt": "What will you do, how often, and who starts it? Include how you'll thank each other.",
                    "suggestions": [
                        "A monthly check-in over breakfast",
                        "A shared wish list that either of us can add to",
                        "Sunday evening: one appreciation each",
                        'A signal that says "I\'d like time for us tonight", which can be answered either way',
                        "Taking turns to plan a date every other week",
                        "A candle on the table means an unhurried evening",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------- old scripts
    {
        "key": "old-scripts",
        "title": "Where we learned who decides",
        "summary": _t("""
            A gentle, private look at where each partner's expectations about power and intimacy came
            from, with room to agree on a pace and on the kind of support that would help.
        """),
        "practice": "Healing past power injuries",
        "steps": [
            {
                "kind": "instruction",
                "title": "Where we learned it",
                "duration_minutes": 4,
                "participant_text": _t("""
                    All of us learned something early on about who gets to want and who gets to decide.
                    Some of those lessons help; others hurt and still echo. Once you can spot an old
                    lesson, it's easier to ask whether you still agree with it. Go at your own pace; slow is fine.
                    You can pass on anything, and you never need to say why.
                """),
                "facilitator_notes": _t("""
                    This is the most sensitive exercise in the library. Keep the invitation light: nobody
                    tells their story here. Say that professional help is a good option for anyone whose
                    past includes coercion, and that reaching for it is an act of care, not failure.
                    Have a list of
                    local and online resources ready. Watch for anyone who goes quiet or leaves, and
                    check in with them privately afterwards.
                """),
                "content_note": _t("""
                    May touch past coercion or abuse. Reflections stay private; remind everyone they can
                    pass or pause, and share support resources.
                """),
                "config": {},
            },
            {
                "kind": "reflection",
                "title": "Private reflection",
                "duration_minutes": 6,
                "participant_text": _t("""
                    Only you see this, never your partner or the facilitator. There's no need to write any
                    details you'd rather not.
                """),
                "facilitator_notes": "Quiet time. Stay visible and calm; offer a pause to anyone who needs it.",
                "content_note": "May touch past coercion; remind everyone they can pass or pause.",
                "config": {
                    "prompts": [
                        "What did you learn, growing up or in past relationships, about who decides in intimacy?",
                        "Which of those lessons do you want to keep, and which would you like to let go?",
                        "Does anything from the past still shape how you react today? No details needed.",
                    ]
                },
            },
            {
                "kind": "answer_reveal",
                "title": "Your pace",
                "duration_minutes": 3,
                "participant_text": _t("""
                    No pace is better than another. Whoever chooses the slower pace sets the speed for you
                    both; nobody needs to catch up.
                """),
                "facilitator_notes": _t("""
                    Reinforce that the slower partner's pace is the shared pace, and that slow progress is
                    normal.
                """),
                "content_note": "",
                "config": {
                    "prompt": "What pace feels right to you for talking about these things together?",
                    "answer_kind": "scale",
                    "scale": {
                        "min": 1,
                        "max": 5,
                        "min_label": "Very gently, over time",
                        "max_label": "Ready to go deeper soon",
                    },
                },
            },
            {
                "kind": "answer_reveal",
                "title": "What support might help?",
                "duration_minutes": 3,
                "participant_text": "Choose the one that appeals most. You'll see both answers together.",
                "facilitator_notes": "Point couples to the resource list at the end of the session.",
                "content_note": "",
                "config": {
                    "prompt": "What kind of support might help the two of you?",
                    "answer_kind": "choice",
                    "options": [
                        "Reading a book together",
                        "Another workshop",
                        "Seeing a couples therapist",
                        "Support for me on my own",
                        "Talking with someone we trust",
                        "Nothing right now",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------------ break
    {
        "key": "breather",
        "title": "Breather",
        "summary": "A short break for everyone, followed by a one-tap anonymous energy check.",
        "practice": "Break",
        "steps": [
            {
                "kind": "break",
                "title": "Break",
                "duration_minutes": 8,
                "participant_text": _t("""
                    Take a break. Stretch, drink some water, step outside if you can. No need to talk about
                    the workshop unless you want to.
                """),
                "facilitator_notes": _t("""
                    Stay available but don't hover. Online, leave the call open with cameras optional.
                    Announce the time you'll restart.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "poll",
                "title": "Energy check",
                "duration_minutes": 1,
                "participant_text": "One tap, anonymous.",
                "facilitator_notes": "If energy is low, shorten your input and keep the next exercise moving.",
                "content_note": "",
                "config": {
                    "question": "How is your energy right now?",
                    "poll_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Running low", "max_label": "Plenty"},
                },
            },
        ],
    },
    # ---------------------------------------------------------------- closing
    {
        "key": "closing-appreciation",
        "title": "Closing: appreciation and next steps",
        "summary": _t("""
            Partners thank each other for one moment of feeling heard, and the group gives anonymous
            feedback on what they want next and how useful the session was.
        """),
        "practice": "Celebrating small wins",
        "steps": [
            {
                "kind": "instruction",
                "title": "Notice what you did",
                "duration_minutes": 2,
                "participant_text": _t("""
                    Before you go, take a moment to notice what you did together today. Talking about power
                    and intimacy takes courage, from both of you.
                """),
                "facilitator_notes": _t("""
                    Thank the group. Name the courage it takes both to speak up and to listen. Share the
                    support resources again and say how to reach you afterwards.
                """),
                "content_note": "",
                "config": {},
            },
            {
                "kind": "answer_reveal",
                "title": "One appreciation",
                "duration_minutes": 4,
                "participant_text": "Write it for your partner. You'll see each other's at the same time.",
                "facilitator_notes": "Give couples a quiet minute after the reveal to respond however they like.",
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Tell your partner about one moment today when you felt heard, or one thing you
                        appreciated about how they took part.
                    """),
                    "answer_kind": "text",
                },
            },
            {
                "kind": "poll",
                "title": "What next?",
                "duration_minutes": 2,
                "participant_text": "Anonymous. This helps us plan what we offer next.",
                "facilitator_notes": "Read out the totals and mention the matching resources.",
                "content_note": "",
                "config": {
                    "question": "What would you most like after today?",
                    "poll_kind": "single",
                    "options": [
                        "A check-in at home this week",
                        "Another session like this",
                        "Books or other resources",
                        "Talking with a professional",
                        "Not sure yet",
                    ],
                },
            },
            {
                "kind": "poll",
                "title": "How useful was today?",
                "duration_minutes": 2,
                "participant_text": "Anonymous, one tap. Thank you for taking part.",
                "facilitator_notes": "No need to comment on the result in the room; note it for the debrief.",
                "content_note": "",
                "config": {
                    "question": "Overall, how useful was today for you?",
                    "poll_kind": "scale",
                    "scale": {"min": 1, "max": 5, "min_label": "Not useful", "max_label": "Very useful"},
                },
            },
        ],
    },
]


PROGRAMS = [
    {
        "key": "online-90",
        "title": "Speaking up safely: a 90-minute online workshop",
        "description": _t("""
            A focused online session on voice and consent. Couples agree a pause signal, name moments of
            unequal influence without blame, and practice consent as an ongoing check-in. Each couple
            works in its own private space; group questions are anonymous.
        """),
        "format": "online",
        "items": [
            {
                "exercise": "arrival-pulse",
                "part": 1,
                "duration_minutes": 7,
                "facilitator_notes": _t("""
                    Let people settle their connection first. Ask couples to sit where they won't be
                    overheard and to silence other devices.
                """),
            },
            {
                "exercise": "pause-signal",
                "part": 1,
                "duration_minutes": 17,
                "facilitator_notes": _t("""
                    Do this first so every couple has a way to stop before the harder material. Online, a
                    gesture or a word works better than touch if partners are on separate devices.
                """),
            },
            {
                "exercise": "naming-moments",
                "part": 1,
                "duration_minutes": 24,
                "facilitator_notes": "The emotional center of the session. Keep your own input short.",
            },
            {
                "exercise": "breather",
                "part": 1,
                "duration_minutes": 10,
                "facilitator_notes": "Restart on time; online energy drops fast.",
            },
            {
                "exercise": "consent-check-in",
                "part": 1,
                "duration_minutes": 20,
                "facilitator_notes": "Link back to the pause signal: a pause is consent being remade in the moment.",
            },
            {
                "exercise": "closing-appreciation",
                "part": 1,
                "duration_minutes": 12,
                "facilitator_notes": "Share resources in the chat and leave the call open for a few minutes.",
            },
        ],
    },
    {
        "key": "retreat-2-day",
        "title": "Shared power, shared pleasure: a two-day retreat",
        "description": _t("""
            An in-person retreat that moves from safety and noticing, through boundaries, consent and fair
            decisions, to plans and rituals couples take home. Day one has a morning and an afternoon
            session; day two is a single session.
        """),
        "format": "in_person",
        "items": [
            # Part 1: day one, morning. Safety, ground rules, noticing.
            {
                "exercise": "arrival-pulse",
                "part": 1,
                "duration_minutes": 10,
                "facilitator_notes": "Start with housekeeping: breaks, restrooms, and where to find a quiet corner.",
            },
            {
                "exercise": "check-in-ground-rules",
                "part": 1,
                "duration_minutes": 22,
                "facilitator_notes": "These ground rules apply to the rest of the retreat too; say so.",
            },
            {
                "exercise": "pause-signal",
                "part": 1,
                "duration_minutes": 17,
                "facilitator_notes": "Couples may use their signal during the retreat; make clear that's welcome.",
            },
            {
                "exercise": "naming-moments",
                "part": 1,
                "duration_minutes": 25,
                "facilitator_notes": "Spread couples around the room so they can talk without being overheard.",
            },
            {
                "exercise": "breather",
                "part": 1,
                "duration_minutes": 20,
                "facilitator_notes": "Coffee break. Stay available for anyone who wants a private word.",
            },
            {
                "exercise": "emotion-labeling",
                "part": 1,
                "duration_minutes": 22,
                "facilitator_notes": "Useful right before the boundary map, which can stir strong feelings.",
            },
            {
                "exercise": "boundary-map",
                "part": 1,
                "duration_minutes": 38,
                "facilitator_notes": "Leave room at the end for couples who need a few extra minutes before lunch.",
            },
            # Part 2: day one, afternoon. Consent, language, fair decisions.
            {
                "exercise": "consent-check-in",
                "part": 2,
                "duration_minutes": 22,
                "facilitator_notes": "Start gently after lunch; invite a short stretch before the instruction.",
            },
            {
                "exercise": "invitations-not-demands",
                "part": 2,
                "duration_minutes": 23,
                "facilitator_notes": "Lighter in tone; some humor helps here.",
            },
            {
                "exercise": "breather",
                "part": 2,
                "duration_minutes": 20,
                "facilitator_notes": "Afternoon break with snacks.",
            },
            {
                "exercise": "goals-to-actions",
                "part": 2,
                "duration_minutes": 25,
                "facilitator_notes": "Shared goals give couples material for the structured disagreement next.",
            },
            {
                "exercise": "structured-disagreement",
                "part": 2,
                "duration_minutes": 36,
                "facilitator_notes": "Keep time firmly for the phases; couples appreciate the structure.",
            },
            {
                "exercise": "trial-period",
                "part": 2,
                "duration_minutes": 20,
                "facilitator_notes": "Couples can turn what they agreed in the disagreement into their trial.",
            },
            # Part 3: day two. Depth, experiments, plans and rituals to take home.
            {
                "exercise": "arrival-pulse",
                "part": 3,
                "duration_minutes": 10,
                "facilitator_notes": "Compare the room's sense of safety with yesterday's, aloud and in general terms.",
            },
            {
                "exercise": "curiosity-experiment",
                "part": 3,
                "duration_minutes": 28,
                "facilitator_notes": "Playful in tone, firm on the exit plan.",
            },
            {
                "exercise": "breather",
                "part": 3,
                "duration_minutes": 20,
                "facilitator_notes": "Mid-morning break.",
            },
            {
                "exercise": "old-scripts",
                "part": 3,
                "duration_minutes": 20,
                "facilitator_notes": _t("""
                    The most sensitive exercise: placed on day two when trust is higher. Have a second
                    facilitator or support person available.
                """),
            },
            {
                "exercise": "conflict-pre-agreement",
                "part": 3,
                "duration_minutes": 26,
                "facilitator_notes": "A practical step after the deeper reflection; it brings energy back up.",
            },
            {
                "exercise": "co-created-ritual",
                "part": 3,
                "duration_minutes": 22,
                "facilitator_notes": "Suggest couples fold their check-in and trial review into the ritual.",
            },
            {
                "exercise": "closing-appreciation",
                "part": 3,
                "duration_minutes": 14,
                "facilitator_notes": "Close the whole retreat; allow a little extra time for goodbyes.",
            },
        ],
    },
]
