#!/usr/bin/env python3
"""The review console in headless Chromium (selenium + Debian's chromium-driver).

Run by tests/browser/run.sh, which starts embargo-review with real PAM users and a real store and
exports what is needed here (ports, record ids, users, password, paths). Each case prints
"ok N - name" or "not ok N - name: why"; the exit status is the number of failures (capped).
"""
import io
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

E = os.environ
BASE = "http://localhost:%s" % E["PORT"]
SHORT = "http://localhost:%s" % E["PORT2"]
EVIL = "http://127.0.0.1:%s" % E["PORT3"]
SHOTS = E["SHOTS"]
results = []


def driver():
    o = webdriver.ChromeOptions()
    o.binary_location = E["CHROME"]
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,900", "--no-first-run", "--disable-extensions",
              "--user-data-dir=%s/chrome" % E["T"]):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(E["DRIVER"]), options=o)
    d.set_page_load_timeout(20)
    return d


def case(name):
    def wrap(fn):
        def run(d):
            d.delete_all_cookies()  # each case starts signed out
            d.get("about:blank")
            d.get_log("browser")    # and with an empty console log
            try:
                fn(d)
                results.append((name, None))
                print("ok %d - %s" % (len(results), name), flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported
                results.append((name, e))
                print("not ok %d - %s: %s" % (len(results), name, e), flush=True)
                traceback.print_exc()
                try:
                    d.save_screenshot("%s/FAILED-%s.png" % (SHOTS, name.replace(" ", "-")))
                except Exception:  # noqa: BLE001
                    pass
        return run
    return wrap


def click(d, el):
    """Clicks el and waits (bounded) until the next page has replaced this one and has loaded.

    While Chromium swaps documents, a call on a node of the old one may fail with a stale-element
    error or with a generic inspector error ("Node with given id does not belong to the document");
    both mean the old page is gone. Calls made while the new one loads are retried until it is
    complete."""
    old = d.find_element(By.TAG_NAME, "html")
    el.click()

    def replaced(_drv):
        try:
            old.is_enabled()
            return False
        except WebDriverException:  # StaleElementReferenceException is one of these
            return True

    WebDriverWait(d, 15).until(replaced)
    WebDriverWait(d, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda drv: drv.execute_script("return document.readyState") == "complete")


def wait_url(d, part):
    WebDriverWait(d, 15).until(lambda drv: part in drv.current_url)


def check(cond, why):
    if not cond:
        raise AssertionError(why)


def login(d, user, base=BASE, expect_ok=True):
    d.get(base + "/login")
    d.find_element(By.ID, "user").send_keys(user)
    d.find_element(By.ID, "password").send_keys(E["PW"])
    click(d, d.find_element(By.ID, "login"))
    if expect_ok:
        check(d.current_url.endswith("/held"), "login as %s did not reach /held: %s" % (user, d.current_url))


def audit():
    with open(E["AUDIT"], encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def record_state(rid):
    out = subprocess.run([E["EMBARGOCTL"], "quarantine", "list", "-c", E["CONF"], "--state", "released",
                          "--json"], capture_output=True, text=True, check=False).stdout
    return "released" if rid in out else "not released"


def console_problems(d):
    logs = d.get_log("browser")
    return [entry["message"] for entry in logs
            if "XSS-RAN" in entry["message"] or "Content Security Policy" in entry["message"]]


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


@case("reviewer not on the PRA list sees the redacted view and releases with a reason")
def t_redacted_release(d):
    login(d, E["BOB"])
    d.save_screenshot(SHOTS + "/held-list.png")
    check(E["FUTURE"] in d.page_source, "the held record is not listed")
    click(d, d.find_element(By.CSS_SELECTOR, 'a[href="/msg/%s"]' % E["FUTURE"]))   # click 1
    check(d.find_elements(By.ID, "redacted"), "no redaction notice")
    check("SECRET-BODY-LINE" not in d.page_source, "the body is shown to a reviewer not on the PRA list")
    check("households fell by" not in d.page_source, "the matched text is shown")
    d.save_screenshot(SHOTS + "/message-redacted.png")
    d.find_element(By.ID, "reason").send_keys("false alarm: figures were published in 2019")
    click(d, d.find_element(By.ID, "release"))                                       # click 2
    check("release requested" in d.find_element(By.ID, "message").text, "no confirmation shown")
    ev = [e for e in audit() if e.get("event") == "review-request" and e.get("record") == E["FUTURE"]]
    check(ev and ev[-1]["by"] == E["BOB"] and ev[-1]["action"] == "release"
          and "false alarm" in ev[-1]["reason"] and ev[-1]["via"] == "console", "request not audited: %r" % ev)
    # the root job carries the request out (fake postsuper records what it was asked)
    p = subprocess.run([E["PROCESS"]], capture_output=True, text=True, check=False)
    check(p.returncode == 0, "process-requests failed: %s %s" % (p.stdout, p.stderr))
    with open(E["POSTSUPER_ARGS"], encoding="utf-8") as f:
        check("-H QFUT1" in f.read(), "postsuper -H QFUT1 was not run")
    check(record_state(E["FUTURE"]) == "released", "record not released")
    done = [e for e in audit() if e.get("event") == "request-release" and e.get("record") == E["FUTURE"]]
    check(done and done[-1].get("by") == E["BOB"], "the release was not audited with the reviewer: %r" % done)
    d.get(BASE + "/msg/" + E["FUTURE"])
    check(d.find_element(By.ID, "state").text.startswith("released"), "the page does not show released")


@case("reviewer on the PRA list sees the body and the matched text")
def t_pra_sees(d):
    login(d, E["ALICE"])
    d.get(BASE + "/msg/" + E["BULK1"])
    check(not d.find_elements(By.ID, "redacted"), "redacted for a PRA member")
    check("SECRET-BODY-LINE" in d.find_element(By.ID, "body").text, "body not shown")
    check(d.find_elements(By.CSS_SELECTOR, "td.evidence mark"), "matched text not marked")
    d.save_screenshot(SHOTS + "/message-pra.png")


@case("a reviewer not on the PRA list reveals with a reason (audited)")
def t_reveal(d):
    login(d, E["BOB"])
    d.get(BASE + "/msg/" + E["BULK2"])
    check("SECRET-BODY-LINE" not in d.page_source, "shown before the reveal")
    d.find_element(By.ID, "reveal-reason").send_keys("checking a complaint from the producer")
    click(d, d.find_element(By.CSS_SELECTOR, "form.reveal button"))
    check("SECRET-BODY-LINE" in d.find_element(By.ID, "body").text, "the reveal did not show the body")
    ev = [e for e in audit() if e.get("event") == "reveal" and e.get("record") == E["BULK2"]]
    check(ev and ev[-1]["by"] == E["BOB"] and ev[-1]["reason"] == "checking a complaint from the producer",
          "reveal not audited: %r" % ev)
    d.get(BASE + "/msg/" + E["BULK2"])
    check("SECRET-BODY-LINE" not in d.page_source, "the reveal outlived its page")
    d.set_window_size(390, 844)  # a phone
    d.get(BASE + "/held")
    d.save_screenshot(SHOTS + "/held-list-phone.png")
    d.set_window_size(1280, 900)


@case("user without the reviewer role is refused")
def t_no_role(d):
    login(d, E["CAROL"], expect_ok=False)
    check(d.current_url.endswith("/confirm"), "a non-reviewer was not sent to the confirm page")
    for page in ("/held", "/msg/" + E["CSRF"], "/audit", "/audit.csv", "/releases", "/msg/%s/report" % E["CSRF"]):
        d.get(BASE + page)
        check("not in the reviewer group" in d.page_source and E["CSRF"] not in d.page_source,
              "a non-reviewer reached " + page)
    # a wrong password is refused too
    d.delete_all_cookies()
    d.get(BASE + "/login")
    d.find_element(By.ID, "user").send_keys(E["BOB"])
    d.find_element(By.ID, "password").send_keys("wrong")
    click(d, d.find_element(By.ID, "login"))
    check("Login failed" in d.page_source, "a wrong password was not refused")


@case("a forged cross-origin POST is refused")
def t_csrf(d):
    login(d, E["ALICE"])
    csrf_form = d.find_element(By.NAME, "csrf").get_attribute("value")
    with open(os.path.join(E["T"], "evil", "index.html"), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><form id="f" method="post" action="%s/msg/%s/act">'
                '<input name="action" value="release"><input name="reason" value="pwned">'
                '<input name="csrf" value="guess"></form><script>document.getElementById("f").submit()'
                '</script>' % (BASE, E["CSRF"]))
    d.get(EVIL + "/index.html")
    wait_url(d, BASE)  # the attacker page's script submits the form
    check("Refused" in d.page_source, "the forged POST was not refused: %s" % d.page_source[:300])
    # the same forged form with the victim's real token is still refused (Origin, SameSite=Strict)
    with open(os.path.join(E["T"], "evil", "index2.html"), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><form id="f" method="post" action="%s/msg/%s/act">'
                '<input name="action" value="release"><input name="reason" value="pwned">'
                '<input name="csrf" value="%s"></form><script>document.getElementById("f").submit()'
                '</script>' % (BASE, E["CSRF"], csrf_form))
    d.get(EVIL + "/index2.html")
    wait_url(d, BASE)
    check("Refused" in d.page_source, "the forged POST with a stolen token was not refused")
    # a same-origin POST without the token, with the session cookie (no browser needed)
    cookie = d.get_cookie("embargo_review")
    check(cookie and cookie.get("httpOnly") and cookie.get("secure") and cookie.get("sameSite") == "Strict",
          "cookie flags wrong: %r" % cookie)
    req = urllib.request.Request(BASE + "/msg/%s/act" % E["CSRF"], method="POST",
                                 data=urllib.parse.urlencode({"action": "release", "reason": "x"}).encode(),
                                 headers={"Cookie": "embargo_review=" + cookie["value"]})
    try:
        urllib.request.urlopen(req)
        raise AssertionError("a POST without the CSRF token was accepted")
    except urllib.error.HTTPError as e:
        check(e.code == 403, "expected 403, got %d" % e.code)
    check(not [e for e in audit() if e.get("record") == E["CSRF"]], "the forged request reached the audit log")
    # GET never changes state
    d.get(BASE + "/msg/%s/act?action=release&reason=x&csrf=%s" % (E["CSRF"], csrf_form))
    check(not [e for e in audit() if e.get("record") == E["CSRF"]], "a GET changed state")


@case("hostile subject, sender, header and file name render as text and no script runs")
def t_xss(d):
    login(d, E["ALICE"])
    d.get(BASE + "/held")
    d.get(BASE + "/msg/" + E["HOSTILE"])
    d.save_screenshot(SHOTS + "/message-hostile.png")
    text = d.find_element(By.TAG_NAME, "body").text
    check('<script>console.error("XSS-RAN-subject")</script>' in text, "the subject is not shown as text")
    check("<img src=x onerror=console.error('XSS-RAN-file')>.csv" in text, "the file name is not shown as text")
    check("<svg onload=console.error('XSS-RAN-header')>" in text, "the header is not shown as text")
    check("<script>console.error(\"XSS-RAN-from\")</script>" in text, "the From phrase is not shown as text")
    check(not d.find_elements(By.CSS_SELECTOR, "main script, main img, main svg, main b"),
          "message markup became elements")
    d.get(BASE + "/msg/" + E["MIMEKIT"])
    # held for no release: content stays redacted for everyone (as `quarantine show`); its parts are listed
    check("attachment:document.txt" in d.find_element(By.ID, "attachments").text, "the real-world message's parts")
    check(d.find_elements(By.ID, "redacted"), "a record of no release is not redacted")
    check(not d.find_elements(By.CSS_SELECTOR, "main b"), "the real-world message's markup became elements")
    d.get(BASE + "/audit")
    problems = console_problems(d)
    check(not problems, "console shows script or CSP trouble: %r" % problems)
    check(no_alert(d), "an alert is open")


@case("session expires")
def t_expiry(d):
    login(d, E["BOB"], base=SHORT)
    time.sleep(4.5)  # session_minutes = 0.05 (3 s) on this instance
    d.get(SHORT + "/held")
    check(d.current_url.endswith("/login"), "the expired session still works: %s" % d.current_url)


@case("bulk release with one reason; logout")
def t_bulk(d):
    login(d, E["BOB"])
    for rid in (E["BULK1"], E["BULK2"]):
        d.find_element(By.CSS_SELECTOR, 'input[type=checkbox][value="%s"]' % rid).click()
    d.find_element(By.ID, "bulk-reason").send_keys("duplicates of a released message")
    click(d, d.find_element(By.ID, "bulk-release"))
    check("2 release request(s) written" in d.find_element(By.ID, "message").text, "bulk result not shown")
    ev = [e for e in audit() if e.get("event") == "review-request" and e.get("reason") == "duplicates of a released message"]
    check(sorted(e["record"] for e in ev) == sorted([E["BULK1"], E["BULK2"]]), "bulk requests not audited: %r" % ev)
    d.get(BASE + "/audit?event=review-request")
    check(E["BULK2"] in d.page_source, "the audit page does not list the bulk request")
    d.save_screenshot(SHOTS + "/audit.png")
    d.get(BASE + "/releases")
    check("future-2099" in d.page_source and "embargoed" in d.page_source, "releases page")
    d.save_screenshot(SHOTS + "/releases.png")
    d.get(BASE + "/held")
    click(d, d.find_element(By.CSS_SELECTOR, "form.logout button"))
    d.get(BASE + "/held")
    check(d.current_url.endswith("/login"), "still signed in after logout")


@case("breach: two clicks from the message to the report draft")
def t_breach(d):
    login(d, E["ALICE"])
    d.get(BASE + "/msg/" + E["CSRF"])
    d.find_element(By.ID, "reason").send_keys("sent to an outside address before publication")
    click(d, d.find_element(By.ID, "breach"))
    check("/report" in d.current_url, "not on the report: " + d.current_url)
    check("breach of the Code of Practice" in d.find_element(By.ID, "report-text").text, "no report text")
    d.save_screenshot(SHOTS + "/breach-report.png")
    # the downloads, with the browser's session: Markdown, and .odt that is a valid OpenDocument package
    cookie = {"Cookie": "embargo_review=" + d.get_cookie("embargo_review")["value"]}
    md = urllib.request.urlopen(urllib.request.Request(BASE + "/msg/%s/report.md" % E["CSRF"], headers=cookie))
    check("attachment" in md.headers["Content-Disposition"] and
          md.read().decode().startswith("# Report of a breach"), "markdown download")
    odt = urllib.request.urlopen(urllib.request.Request(BASE + "/msg/%s/report.odt" % E["CSRF"], headers=cookie))
    check(odt.headers["Content-Type"] == "application/vnd.oasis.opendocument.text", "odt type")
    z = zipfile.ZipFile(io.BytesIO(odt.read()))
    first = z.infolist()[0]
    check(first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
          and z.read("mimetype") == b"application/vnd.oasis.opendocument.text", "odt mimetype member")
    root = ET.fromstring(z.read("content.xml"))
    text = "".join(root.itertext())
    check("Report of a breach" in text and E["CSRF"] in text, "odt content: %r" % text[:200])
    ET.fromstring(z.read("META-INF/manifest.xml"))
    # .docx: a valid Office Open XML package (ECMA-376 part 2): every part is well-formed XML, the content
    # types name the main document, every relationship's target is in the package
    docx = urllib.request.urlopen(urllib.request.Request(BASE + "/msg/%s/report.docx" % E["CSRF"], headers=cookie))
    check(docx.headers["Content-Type"] ==
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx type")
    check(docx.headers["Content-Disposition"].endswith('.docx"'), "docx file name")
    z = zipfile.ZipFile(io.BytesIO(docx.read()))
    check(z.testzip() is None, "docx zip is damaged")
    names = set(z.namelist())
    parts = {n: ET.fromstring(z.read(n)) for n in names}
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    overrides = {o.get("PartName"): o.get("ContentType") for o in parts["[Content_Types].xml"].iter(ct + "Override")}
    check(overrides.get("/word/document.xml", "").endswith("wordprocessingml.document.main+xml"),
          "docx content types lack the main document: %r" % overrides)
    check(all(p.lstrip("/") in names for p in overrides), "an overridden part is missing")
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
    for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
        for r in parts[rels].iter(rel):
            check(base + r.get("Target") in names, "relationship target %s missing" % r.get("Target"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    doc = parts["word/document.xml"]
    check(doc.tag == w + "document", "docx main part is not a w:document")
    text = "".join(t.text or "" for t in doc.iter(w + "t"))
    check("Report of a breach" in text and E["CSRF"] in text, "docx content: %r" % text[:200])
    styles = {s.get(w + "val") for s in doc.iter(w + "pStyle")}
    defined = {s.get(w + "styleId") for s in parts["word/styles.xml"].iter(w + "style")}
    check("Heading1" in styles and styles <= defined, "docx headings or their styles: %r %r" % (styles, defined))
    check(list(doc.iter(w + "tbl")), "docx has no table")
    ev = [e for e in audit() if e.get("event") == "breach" and e.get("record") == E["CSRF"]]
    check(ev and ev[-1]["by"] == E["ALICE"], "breach not audited")
    with open(E["REQLOG"], encoding="utf-8") as f:
        check(any(E["ALICE"] in line and "/act" in line for line in f), "request log lacks the user")


@case("sender confirm round trip: wrong code refused, right code requests the release")
def t_confirm(d):
    login(d, E["CAROL"], expect_ok=False)
    check(d.current_url.endswith("/confirm"), "not on the confirm page")
    d.find_element(By.ID, "code").send_keys("ABCD-2345")
    d.find_element(By.ID, "reason").send_keys("the figures in it were published last year")
    click(d, d.find_element(By.ID, "confirm"))
    check("not accepted" in d.find_element(By.ID, "message").text, "a wrong code was not refused")
    d.find_element(By.ID, "code").send_keys(E["CODE"].lower())
    d.find_element(By.ID, "reason").send_keys("the figures in it were published last year")
    d.save_screenshot(SHOTS + "/confirm.png")
    click(d, d.find_element(By.ID, "confirm"))
    check("release of your message is requested" in d.find_element(By.ID, "message").text,
          "the right code was not accepted: " + d.find_element(By.ID, "message").text)
    ev = [e for e in audit() if e.get("event") == "confirm-request" and e.get("record") == E["CONFREC"]]
    check(ev and ev[-1]["via"] == "confirm-page" and "published last year" in ev[-1]["reason"],
          "confirm not audited: %r" % ev)
    p = subprocess.run([E["PROCESS"]], capture_output=True, text=True, check=False)
    check(p.returncode == 0, "process-requests failed: %s %s" % (p.stdout, p.stderr))
    with open(E["POSTSUPER_ARGS"], encoding="utf-8") as f:
        check("-H QCONF" in f.read(), "postsuper -H QCONF was not run")
    check(record_state(E["CONFREC"]) == "released", "record not released")
    # the code is spent
    d.get(BASE + "/confirm")
    d.find_element(By.ID, "code").send_keys(E["CODE"])
    d.find_element(By.ID, "reason").send_keys("again")
    click(d, d.find_element(By.ID, "confirm"))
    check("not accepted" in d.find_element(By.ID, "message").text, "a spent code was accepted again")


@case("release to one of two recipients: none ticked by default, only the ticked one gets it")
def t_release_to(d):
    login(d, E["BOB"])
    d.get(BASE + "/msg/" + E["PARTIAL"])
    boxes = d.find_elements(By.CSS_SELECTOR, 'input[type="checkbox"][name="rcpt"]')
    check(len(boxes) == 2, "not one checkbox per recipient: %d" % len(boxes))
    check(not any(b.is_selected() for b in boxes), "a recipient is ticked by default")
    keep = [b for b in boxes if b.get_attribute("value") == "keep@example.org"]
    check(keep, "no checkbox for keep@example.org")
    # ticked through its label, as a keyboard or screen-reader user would reach it
    d.find_element(By.CSS_SELECTOR, 'label[for="%s"]' % keep[0].get_attribute("id")).click()
    check(keep[0].is_selected(), "the label does not tick its checkbox")
    d.find_element(By.ID, "reason").send_keys("only the policy contact needs it now")
    d.save_screenshot(SHOTS + "/release-to.png")
    click(d, d.find_element(By.ID, "release-to"))
    check("ticked recipients requested" in d.find_element(By.ID, "message").text, "no confirmation shown")
    ev = [e for e in audit() if e.get("event") == "review-request" and e.get("record") == E["PARTIAL"]]
    check(ev and ev[-1].get("recipients") == ["keep@example.org"] and ev[-1]["by"] == E["BOB"],
          "request not audited with the recipient: %r" % ev)
    p = subprocess.run([E["PROCESS"]], capture_output=True, text=True, check=False)
    check(p.returncode == 0, "process-requests failed: %s %s" % (p.stdout, p.stderr))
    with open(E["SENDMAIL_ARGS"], encoding="utf-8") as f:
        args = f.read().split()
    check(args[-2:] == ["--", "keep@example.org"] and "drop@example.org" not in args,
          "the copy was not sent to the ticked recipient alone: %r" % args)
    with open(E["SENDMAIL_MSG"], encoding="utf-8", errors="replace") as f:
        first = f.readline()
    check(first.startswith("X-Embargo-Release: ") and len(first.split(": ", 1)[1].strip()) == 64,
          "the copy carries no release token: %r" % first)
    with open(E["POSTSUPER_ARGS"], encoding="utf-8") as f:
        sup = f.read()
    check("-d QPART" in sup and "-H QPART" not in sup, "the held copy was not deleted (or was released): %r" % sup)
    check(record_state(E["PARTIAL"]) == "released", "record not released")
    done = [e for e in audit() if e.get("event") == "request-release" and e.get("record") == E["PARTIAL"]]
    check(done and done[-1].get("released_to") == ["keep@example.org"]
          and done[-1].get("not_delivered") == ["drop@example.org"], "who got it is not audited: %r" % done)
    d.get(BASE + "/msg/" + E["PARTIAL"])
    check("released to 1 of 2 recipient(s): keep@example.org" in d.find_element(By.ID, "requests").text,
          "the page does not say who got it")
    check(not console_problems(d), "console problems: %r" % console_problems(d))


def main():
    start = time.time()
    d = driver()
    try:
        for t in (t_redacted_release, t_pra_sees, t_reveal, t_no_role, t_csrf, t_xss, t_expiry, t_bulk, t_breach, t_confirm,
                  t_release_to):
            t(d)
    finally:
        d.quit()
    failed = [n for n, e in results if e]
    print("browser: %d cases, %d failed, %.1f s" % (len(results), len(failed), time.time() - start))
    return min(len(failed), 100)


if __name__ == "__main__":
    sys.exit(main())
