from tests.negotiation.test_one_arrangement import _agree_plan, _tap
from tests.runtime.conftest import WebChat

def show(msgs):
    for m in msgs:
        print("BOT:", m.text, [b[0] for b in m.buttons])

async def test_explore(web: WebChat) -> None:
    u = "x"
    await web.say(u, f"/start {await web.link('T-EN')}")
    show(await web.say(u, "1990-05-17"))
    await _agree_plan(web, u, 0)
    show(await web.say(u, "I dispute the late fee"))
    show(await web.say(u, "Continue"))
    show(await web.say(u, "I never paid late"))
    show(await web.say(u, "I dispute the interest"))
    show(await web.say(u, "Continue"))
    show(await web.say(u, "wrong"))
    show(await web.say(u, "I dispute the card balance"))
    show(await web.say(u, "Continue"))
    show(await web.say(u, "wrong"))
    show(await web.say(u, "I can pay 300 a month"))
    show(await web.say(u, "yes"))
    show(await web.say(u, "I can pay by Dec 20"))
    show(await web.say(u, "yes"))
