"""Post scaffolding: intake form fields and questions, openers, questions to peers, closers, sign-offs."""

from __future__ import annotations

from mhprivbench.datasets.synthmh.bank_mood import lines

FORM_HEADERS = ("Intake form", "New client questionnaire", "INTAKE - self referral", "Pre-assessment form",
                "Client intake", "Initial questionnaire")
# (label, template) lines of an intake form; each appears with its own probability
FORM_FIELDS: tuple[tuple[str, str, float], ...] = (
    ("Name", "{name}", 0.8),
    ("Preferred name", "{nickname}", 0.2),
    ("Date of birth", "{dob}", 0.45),
    ("Age", "{age}", 0.6),
    ("Gender", "{gender_form}", 0.5),
    ("Phone", "{phone}", 0.55),
    ("Email", "{email}", 0.5),
    ("Address", "{address}, {city}", 0.3),
    ("City", "{city}", 0.35),
    ("Occupation", "{occupation}", 0.45),
    ("Employer/school", "{org}", 0.35),
    ("Emergency contact", "{family_member} ({relation})", 0.3),
    ("Referred by", "{clinician}", 0.2),
)
SEVERITY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
SCREEN_MOOD = ("Over the last 2 weeks, how often have you felt down, depressed or hopeless?",
               "In the past two weeks, how often have you had little interest or pleasure in doing things?")
SCREEN_WORRY = ("Over the last 2 weeks, how often have you felt nervous, anxious or on edge?",
                "In the past two weeks, how often have you been unable to stop or control worrying?")
SCREEN_RISK = ("Have you had thoughts that you would be better off dead, or of hurting yourself?",
               "In the past month, have you wished you were dead or wished you could go to sleep and not wake up?")
Q_REASON = ("What brings you in today?", "Describe what's been going on.", "Reason for seeking support:",
            "In your own words, what would you like help with?")
Q_DURATION = ("How long has this been going on?", "When did you first notice these feelings?")
Q_EVENT = ("Has anything significant happened recently?", "Is there an event that is still on your mind?")
RISK_NO = ("No", "No, never", "Not really", "No.", "nope", "No thoughts like that")
RISK_YES = ("Yes", "Yes, sometimes", "Yes, more lately", "yes")
DURATION_ANSWERS = lines("""
For {dur}
About {dur} I think
It started {dur} ago, maybe longer
Since {event} on {event_date}
It's been on and off for years
Since around {event_date}
""")
SUPPORT_ANSWERS = lines("""
My {relation} {family_member}
Mostly my {relation}, and my therapist {clinician}
Not many people honestly
A couple of friends from {org}
""")
GOAL_ANSWERS = lines("""
I just want to feel normal again
Some tools to calm down when it gets bad
To sleep through the night for once
To figure out why I feel like this
Honestly I'm not sure, my {relation} made me sign up
To stop letting this run my life
""")
# (question, answers); None means the answer is ordinary filler about daily life
EXTRA_QUESTIONS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("Anything else you'd like us to know?", None), ("Describe a typical day.", None),
    ("What are you hoping to get out of counselling?", GOAL_ANSWERS),
    ("Who do you have for support?", SUPPORT_ANSWERS),
)

OPENERS = lines("""
Hey everyone
Hi all
Long time lurker, first time posting
Not sure if this is the right place for this
Sorry in advance for the long post
I need to vent
Can I ask something
Update on my last post
I don't really know who else to tell
Posting from my phone so sorry for formatting
Hi, I'm new here
""")
QUESTIONS = lines("""
Does anyone else feel like this?
How do you guys cope with this?
Is this normal?
Any advice would help
Should I tell my doctor?
What helped you?
Has anyone been through something similar?
Am I overreacting?
How do I even start talking about this?
""")
CLOSERS = lines("""
Thanks for reading
Sorry for rambling
Thanks for listening
Take care everyone
Anyway that's where I'm at
Just needed to get that out
""")
JOURNAL_HEADERS = ("Journal", "Entry", "Dear diary,", "Note to self:", "Tonight's entry", "Check-in", "{day}",
                   "{day} night", "Journal - {day}")
JOURNAL_CLOSERS = lines("""
Bed now
Tomorrow is another day
Trying again tomorrow
Goodnight
That's all for today
Going to try to sleep
""")
# sign-off shapes, indexed by Style.sign_format
SIGNOFFS = ("- {first_name}", "-{nickname}", "~ {handle}", "{name}", "xo {first_name}", "{first_name} ({age_tag})",
            "- {first_name}, {city}", "{handle}")
HANDLE_LINES = lines("""
My DMs are open, {handle}
You can find me at {handle}
I post art at {url}
Text me if you want, {phone}
Email me at {email} if you'd rather talk privately
""")
