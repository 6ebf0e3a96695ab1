"""Small documents, written for these tests, in every format the readers take.

Other test packages may import these builders to get realistic input without real reports.
"""

from __future__ import annotations

import io

# A page that surrounds its content with everything a real site adds: a skip link, a header
# with navigation, a cookie banner, scripts, a side bar and a footer.
ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Riverside Constabulary inspection - Example Inspectorate</title>
  <meta property="article:published_time" content="2024-03-14T09:30:00Z">
  <style>body { font-family: sans-serif; }</style>
  <script>window.analytics = {track: function () {}};</script>
</head>
<body>
  <a class="skip-link" href="#content">Skip to main content</a>
  <div id="cookie-notice" class="banner">We use cookies to improve this site. <button>Accept</button></div>
  <header class="site-header">
    <a href="/">Example Inspectorate</a>
    <nav><ul><li><a href="/reports">Reports</a></li><li><a href="/about">About us</a></li></ul></nav>
  </header>
  <main id="content">
    <h1>Riverside Constabulary &amp; its neighbours</h1>
    <p>The inspection found that the constabulary <strong>answers calls</strong> promptly, but
       its records of what happened next were often incomplete.</p>
    <h2>Areas to look at</h2>
    <ul>
      <li>Recording of repeat calls
        <ul><li>especially at night</li></ul>
      </li>
      <li>Supervision of new staff</li>
    </ul>
    <table>
      <thead><tr><th>Area</th><th>Grade</th></tr></thead>
      <tbody>
        <tr><td>Answering calls</td><td>Good</td></tr>
        <tr><td>Keeping records</td><td>Requires improvement</td></tr>
      </tbody>
    </table>
    <dl><dt>Report date</dt><dd>March 2024</dd></dl>
    <script>document.write("injected");</script>
  </main>
  <aside><h2>Related reports</h2><p>Other constabularies in the region.</p></aside>
  <footer><p>Copyright Example Inspectorate. All rights reserved.</p></footer>
</body>
</html>
"""

# The same kind of content with no <main> or <article>: only class names hint at what is chrome.
DIV_SOUP_PAGE = """<html><head><title>Quarterly update</title>
<meta name="DC.date" content="2022-11-02"></head>
<body>
<div class="top-menu"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/contact">Contact</a></div>
<div class="cookieBar">This site uses cookies. Find out more.</div>
<div class="content">
  <h1>Quarterly update on the improvement plan</h1>
  <p>Since the last update the team has reviewed every open action and closed eleven of them,
  mostly those about training records and the handling of property.</p>
  <p>Three actions remain open. Each has a named owner and a date by which it should be closed,
  and the board will review progress again at its next meeting in the spring.</p>
  <h2>Open actions</h2>
  <ul><li>Publish the revised complaints guidance for the public.</li>
  <li>Finish the audit of custody records started in the summer.</li></ul>
</div>
<div class="footer">Site map | Accessibility | Privacy notice</div>
</body></html>
"""

PLAIN_REPORT = (
    "Summary of the review\n"
    "\n"
    "The review looked at how the service handles “urgent” requests – and found it\n"
    "generally quick.\tSome tabs stay inside lines.\n"
    "\n"
    "What should change\n"
    "- Keep a log of every\n"
    "  request that is refused\n"
    "- Tell people why\n"
    "    * in writing\n"
    "1. Review the log monthly\n"
    "\n"
    "Measure\tBefore\tAfter\n"
    "Median wait\t12 days\t4 days\n"
)


def text_bytes(text: str = PLAIN_REPORT, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """``text`` encoded as a text file would be, optionally with a byte-order mark."""
    data = text.encode(encoding)
    if bom:
        prefix = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
        data = prefix + data
    return data


def html_bytes(page: str = ARTICLE_PAGE) -> bytes:
    return page.encode("utf-8")


def bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
