"""Label-neutral filler (daily life by topic) and self-disclosure templates that carry persona details."""

from __future__ import annotations

from mhprivbench.datasets.synthmh.bank_mood import lines

FILLER: dict[str, tuple[str, ...]] = {
    "work": lines("""
        Another long shift at {org} today
        Work was the usual, meetings and emails
        My coworker brought donuts which was nice
        I had to stay late to cover for someone
        The new scheduling system at work is a mess
        Payday is Friday thank god
        My lunch break got cut short again
    """),
    "sleep": lines("""
        I went to bed way too late again
        I keep scrolling on my phone instead of sleeping
        Napped for like two hours this afternoon
        The neighbors were loud until midnight
        I've been trying melatonin
        My alarm went off three times before I got up
    """),
    "family": lines("""
        My {relation} {family_member} called this morning
        Had dinner at my parents' place on {day}
        My {relation} keeps asking when I'm visiting
        Family group chat has been blowing up all week
        My {relation} {family_member} came over and we watched a movie
        Holidays with my family are always a lot
    """),
    "food": lines("""
        I made pasta for the third night in a row
        Ordered takeout again because I couldn't be bothered cooking
        Tried the new taco place near my apartment
        I keep forgetting to eat lunch
        Coffee is basically my personality at this point
        Meal prepped for the week on {day}
    """),
    "weather": lines("""
        It's been raining for days here in {city}
        The heat this week is unreal
        First snow of the year today
        It was actually sunny for once
        The wind kept me up half the night
    """),
    "commute": lines("""
        The bus was late again
        Traffic on the way home was awful
        I listen to podcasts on the drive to work
        Missed my train by like thirty seconds
        Walked to work since it was nice out
    """),
    "pets": lines("""
        My cat knocked everything off the counter again
        Took the dog to the park after work
        My dog is the only one who's always happy to see me
        The cat has decided 5am is breakfast time
        Had to take my dog to the vet on {day}
    """),
    "tv": lines("""
        I binged a whole season of a show last night
        Rewatching my comfort show for the tenth time
        Watched a documentary about octopuses and it was great
        Started a new series everyone's been talking about
        Fell asleep during a movie again
    """),
    "chores": lines("""
        Laundry has been sitting in the basket for a week
        Finally vacuumed the living room
        Did a big grocery run on {day}
        The sink is full of dishes again
        Spent the morning cleaning out the fridge
    """),
    "fitness": lines("""
        Went to the gym for the first time in a while
        Did a short yoga video in my living room
        Walked about ten thousand steps today
        My knees hurt after that run
        Signed up for a 5k in the fall
    """),
    "gaming": lines("""
        Played games with my friends online until late
        Got stuck on the same level for an hour
        Gaming is kind of my escape
        Bought a new game on sale
    """),
    "music": lines("""
        Had the same song on repeat all day
        Went to a small show downtown
        Practiced guitar for a bit
        Made a new playlist for the drive
    """),
    "garden": lines("""
        The tomatoes are finally coming in
        Spent an hour pulling weeds
        My houseplants are somehow still alive
        Repotted the monstera on {day}
    """),
    "kids": lines("""
        The kids had a half day at school
        Spent the evening helping with homework
        My youngest has a cold so nobody slept
        School pickup was chaos as usual
    """),
    "school": lines("""
        Had a lab report due at midnight
        Sat through a three hour lecture today
        My group project partners went silent again
        Studied at the library until it closed
        Classes at {org} started back this week
    """),
    "money": lines("""
        Checked my bank account and immediately regretted it
        Trying to stick to a budget this month
        Rent went out today
        Picked up a few extra hours for the money
    """),
    "reading": lines("""
        Started a new book last night
        I read on my lunch break to get away from everyone
        Went to the library and got way too many books
        Finished a novel in one sitting
    """),
    "cooking": lines("""
        Baked bread for the first time and it was actually good
        Tried a new soup recipe
        Made my grandma's recipe and it almost tasted right
        Burned the rice again
    """),
    "sports": lines("""
        Watched the game at a friend's place
        Our team lost again, no surprise
        Played pickup basketball after work
        Went to a minor league game on {day}
    """),
    "crafts": lines("""
        Working on a knitting project to keep my hands busy
        Started a new sketchbook
        Painted for a bit this evening
        Made a birthday card for my {relation}
    """),
}

# self-disclosure: sentences that carry persona details (the slots say which)
CONTEXT_WORK = lines("""
I'm {a_occupation} at {org}
I work as {a_occupation} in {city}
I work at {org} as {a_occupation}
I've been at {org} for about three years
I'm {a_occupation} so I'm on my feet all day
My job at {org} is a big part of it
""")
CONTEXT_SCHOOL = lines("""
I'm a student at {org}
I'm in my second year at {org}
I study at {org} in {city}
I'm {a_occupation} at {org}
""")
CONTEXT_ANY = lines("""
I'm {age} and live in {city}
I'm a {age} year old {gender} from {city}
I'm {age} and I live in {city}, {region}
Moved to {city} last year
I'm in {city} if that matters
I live off {street}
For context I'm {age_tag} and live in {city}
Been seeing my therapist {clinician} for {dur}
My therapist {clinician} suggested I post here
My {relation} {family_member} is the only one who knows
My {relation} {family_member} keeps asking if I'm okay
Ever since {event} on {event_date} I haven't felt the same
{event_date} is coming up and I'm dreading it
My name is {name} by the way
I'm {first_name}, {age}, from {city}
Hi, {first_name} here
Friends call me {nickname}
I turned {age} this year
""")
CONTEXT_JOURNAL = lines("""
Session with {clinician} today
Saw {clinician} this afternoon and we talked about {event}
Called my {relation} {family_member} after work
{family_member} came by with groceries
Had a bad shift at {org}
Walked around {city} for an hour to clear my head
Tomorrow I'm back at {org}
Thinking about {event_date} again
It's been a while since {event} on {event_date}
{clinician} wants me to keep writing these
""")
