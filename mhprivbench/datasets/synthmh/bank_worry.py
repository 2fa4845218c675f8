"""Phrase banks for anxiety (GAD-7 themes), post-traumatic stress (PCL-5 themes), everyday stress, and the
overlaps between conditions that make posts ambiguous. Written for this generator, in lay language."""

from __future__ import annotations

from mhprivbench.datasets.synthmh.bank_mood import lines

ANXIETY = lines("""
I can't stop worrying about everything
My mind just races and won't shut off
I get this knot in my stomach all day
My heart pounds out of nowhere
I had another panic attack in the grocery store
I feel like something terrible is about to happen
I worry about things that haven't even happened yet
I overthink every single text I send
I can't sit still, I'm always fidgeting
I feel on edge constantly
I snap at people because I'm so wound up
I replay conversations over and over
I avoid phone calls because they make me so nervous
I check the locks like five times before bed
What if I get sick, what if I lose my job, what if, what if
I feel dizzy and shaky when I have to go out
I'm scared to drive on the highway now
I can't relax even when nothing is wrong
My hands shake before every meeting
I keep googling my symptoms
Social stuff makes me want to throw up
I lie awake running through worst case scenarios
I can't eat when I'm this nervous
I feel jittery all day like I've had ten coffees
I cancel plans because the anxiety is too much
I worry my friends secretly hate me
The dread hits me the second I wake up
I'm terrified of having a panic attack in public
Even good news makes me nervous
My brain always jumps to the worst possible outcome
I feel restless and can't settle on anything
I've been getting these waves of panic for no reason
I sweat through my shirt in meetings
I keep asking for reassurance and it never helps
I'm constantly bracing for bad news
Little things set off my nerves
I worry about my health, my money, my family, all of it at once
My chest gets tight whenever my phone buzzes
I rehearse what I'm going to say before ordering food
I feel like I can't breathe properly when I'm worried
""")

PTSD = lines("""
I keep having nightmares about {event}
Loud noises make me jump out of my skin
I get flashbacks like I'm right back there
I avoid driving past the place where it happened
Certain smells bring it all back
I can't stop replaying that night
I sit with my back to the wall everywhere I go
I can't remember big chunks of what happened
I blame myself for what happened
I feel cut off from everyone, like I'm behind glass
When someone comes up behind me I freeze
I wake up drenched in sweat and shaking
I avoid talking about it because it brings it all back
My body reacts before my brain does
I stopped going to crowded places
I feel like the world isn't safe anymore
Fireworks are a nightmare for me
Sometimes I zone out and lose time
Anniversaries are the worst
I keep seeing it when I close my eyes
I flinch when people raise their voices
I don't trust anyone since it happened
I'm angry all the time and I used to be so easygoing
I keep thinking it was my fault
Everything reminds me of it
I barely sleep because the dreams are so vivid
My therapist says it's trauma but I still feel crazy
I feel like I'm on high alert every second
Some days I feel like I'm not even in my body
I can't watch the news anymore, it sets me off
It's been years and it still feels like yesterday
I check the exits wherever I go
The memories just barge in when I'm not expecting them
I haven't been the same since {event}
I can't go anywhere near where {event} happened
Every time I think about {event} my whole body goes cold
""")

STRESS = lines("""
Work has been absolutely crushing me
I have three deadlines this week and no time
Bills keep piling up and I don't know how we'll pay rent
I'm juggling two jobs and school and I'm fried
My boss keeps adding more to my plate
I'm burned out from looking after my {relation}
There just aren't enough hours in the day
Finals are next week and I'm so behind
I'm overwhelmed with everything on my list
We're short staffed so I'm covering extra shifts
I'm stressed about money all the time
My landlord is raising the rent again
The commute plus overtime leaves me nothing
I get home and have zero energy left for the kids
I feel pulled in a hundred directions
My to-do list never gets shorter
I've been getting tension headaches every afternoon
Every little thing feels like one more thing
The wedding planning is making me lose my mind
We're moving next month and nothing is packed
I'm stretched way too thin
Work emails follow me home every night
I haven't had a day off in weeks
The car broke down on top of everything else
My performance review is coming up and I'm stressing
I'm barely keeping my head above water
I'm grinding my teeth at night from stress
Money, work, family, it's just too much at once
I'm running on caffeine and four hours of sleep
My manager is on my case constantly
I can't say no to anyone and now I'm drowning
The stress is making me short with everyone
I just need one week where nothing goes wrong
I keep putting out fires at work
We got a huge hospital bill and I don't know how to cover it
Between work and the kids I never get a break
My workload doubled after two people quit
""")

# overlaps: (conditions that use it, phrases)
PAIRS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (frozenset({"depression", "suicidal_ideation"}), lines("""
        I feel like a burden to everyone
        I don't see a future for myself
        Nothing is ever going to get better
        I'm so tired of fighting this
        I feel completely alone even around people
    """)),
    (frozenset({"anxiety", "stress"}), lines("""
        I can't switch my brain off
        My shoulders are always tense
        I'm on edge all the time
        I feel like I'm about to snap
        My stomach has been a mess from all the worry
    """)),
    (frozenset({"ptsd", "anxiety"}), lines("""
        I startle at every little noise
        I'm always waiting for something bad to happen
        My heart races and I don't even know what set it off
        I avoid going out alone now
    """)),
    (frozenset({"depression", "stress"}), lines("""
        I'm completely drained
        I'm exhausted in a way sleep doesn't fix
        I have nothing left to give anyone
        I feel like I'm just surviving, not living
    """)),
    (frozenset({"ptsd", "depression"}), lines("""
        I feel detached from everyone I love
        I don't enjoy anything since it happened
        I feel numb most of the time
    """)),
)
