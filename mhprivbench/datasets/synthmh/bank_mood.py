"""Phrase banks for low mood: depression (PHQ-9 themes), suicidal ideation (C-SSRS themes, never methods),
wellbeing, and distress shared by every condition. Written for this generator, in lay language."""

from __future__ import annotations


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


DEPRESSION = lines("""
I can't remember the last time I actually enjoyed something
Stuff I used to love just feels pointless now
I feel empty most of the day
Everything feels grey and flat
I've been crying for no reason
I stay in bed until noon because getting up feels impossible
I sleep twelve hours and still wake up exhausted
Even showering feels like climbing a mountain
I haven't had an appetite in weeks
I keep eating junk just to feel something
I feel like a complete failure
I keep thinking I've let everyone down
I can't focus long enough to read a page
I zone out in the middle of conversations
I feel like I'm moving in slow motion
My friends stopped texting and honestly I get why
I don't see the point in making plans anymore
I cancel everything because I just don't have it in me
I feel numb, not even sad, just nothing
I hate who I've become
It's like a heavy blanket I can't get out from under
I haven't done the dishes in two weeks and I don't care
My hobbies are just collecting dust
I feel worthless at work and at home
Nothing brings me joy anymore, not even music
I keep apologizing for existing
The days all blur together
I've stopped answering my phone
I can barely drag myself through a shift
I feel guilty all the time and I can't say why
I've lost interest in pretty much everything
I feel like a disappointment to my family
Getting dressed feels like a huge task
I don't laugh anymore
I feel hollow inside
My motivation is completely gone
I haven't left the apartment in days
Food tastes like cardboard
I keep thinking I'm just broken
The sadness just sits on my chest all day
I feel hopeless about things getting better
I used to paint every weekend and now I can't even look at the brushes
I lie on the couch and stare at the ceiling for hours
I'm so down that I don't even want to see my friends
It's been a low, heavy kind of sad for {dur}
I move and talk so slowly that people ask if I'm okay
I can't make even small decisions anymore
I've gained weight because I just eat and sleep
""")

SUICIDAL = lines("""
Sometimes I wish I could just not wake up
I keep thinking everyone would be better off without me
I've been having thoughts about ending my life
I don't want to be here anymore
I've thought about killing myself more than once this week
Part of me wants to disappear for good
I've started thinking about how I would do it and that scares me
I wrote a goodbye note and then deleted it
I've been giving away my things
I feel like the only way out is to die
I don't think I can keep going like this much longer
I keep having thoughts of hurting myself
Last night I thought seriously about suicide
I made a plan and I'm scared I'll go through with it
I'm so tired of living
If I didn't wake up tomorrow I'd be relieved
I've been saying goodbye to people in my head
The thought of dying feels like relief
I don't want to die exactly but I don't want to live like this
I keep picturing my own funeral
I've been self harming again
I told myself if nothing changes by the end of the month I'm done
I can't stop thinking about ending it all
I don't see any reason to stay alive
I'm scared of what I might do to myself
Death feels like the only thing that would make this stop
I almost did something last night
I've been looking up things I shouldn't be looking up
I wish I had never been born
I'm running out of reasons to stay
I keep thinking the world would keep turning without me
I need to talk to someone before I do something I can't take back
I have thoughts about suicide almost every day now
I'm not safe with myself tonight
I called the crisis line last night and just hung up
I don't know how to tell my therapist I've been thinking about dying
I've been thinking about death way more than is normal
""")

WELLBEING = lines("""
I've actually been feeling pretty good lately
Therapy has been helping a lot
I went for a long walk and it cleared my head
I'm grateful for my friends this week
Had a really nice dinner with family
Sleeping better since I cut back on coffee
I finally finished that project and I'm proud of it
Things are calm right now and I'm enjoying it
I've been journaling every morning and it helps
I started running again and I feel great
Just wanted to share a small win today
I'm in a much better place than last year
I handled a stressful day without spiraling
My mood has been steady for {dur}
I'm learning to be kinder to myself
I laughed so hard with my coworkers today
The weekend was relaxing and quiet
I'm looking forward to my vacation
I reconnected with an old friend
Meditation is starting to click for me
I feel more like myself again
I got outside and soaked up some sun
Honestly life is pretty good right now
I'm proud of how far I've come
I set boundaries at work and it went fine
My sleep schedule is finally back on track
I volunteered this weekend and it felt good
I'm not worried about much these days
Got a promotion and I'm excited
I used to be anxious all the time but it's much better now
I still have rough days but they pass quicker
Checking in to say I'm doing okay
I'm happy with my routine lately
I had energy for once and cleaned the whole place
My therapist and I are talking about spacing out sessions
Today was just a normal good day
I'm enjoying my hobbies again
""")

SHARED = lines("""
I'm so tired all the time
I can't sleep
I wake up at 3am and can't get back to sleep
I don't know what's wrong with me
I just feel off
I've been isolating
I can't concentrate at work
My appetite is all over the place
I cry in the car before work
I don't know how much more of this I can take
Nobody really gets it
I feel like I'm falling apart
My doctor thinks I should try medication
I've been irritable with everyone
I haven't been myself for {dur}
I'm barely holding it together
Some days are better than others
I keep telling everyone I'm fine
My head feels foggy
I've been drinking more than I should
""")

LEADS = ("Lately", "Honestly", "Most days", "For {dur}", "These days", "Some days", "Right now", "Again today",
         "If I'm honest", "The last few days", "Every {day}", "Since the new year", "Today", "This week")
TAILS = ("and I don't know why", "and it's getting worse", "for {dur} now", "and nobody notices",
         "even on good days", "and I'm sick of it", "which is new for me", "and I hate it", "again",
         "no matter what I do", "{when}", "and I don't know what to do", "like always")
