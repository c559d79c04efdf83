"""The pages a private link opens, with no login and never listed anywhere:

- the pack share page and its PDF (read-only);
- the area's progress page, where the lead records progress on the visit's recommendations.

Unknown tokens are a 404; revoked or expired ones a 410 with a page that says so (the rule is
`support.links`). Neither ever shows the record. Responses carry noindex and never-cache, so the
token stays out of search engines and caches.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from ratelimits.limits import allow

from .forms import AreaProgressForm
from .links import find_link, link_gone, private
from .models import PackSending, ProgressLink
from .pdf import render_pack_pdf
from .progress import POSTS_PER_LINK, RATE_LIMIT_SCOPE, recommendations_for_area, record_progress

# The progress page posts a form, and with "no-referrer" a browser sends `Origin: null` with it,
# which Django's CSRF check refuses. "same-origin" still sends the token to no other site.
PROGRESS_REFERRER_POLICY = "same-origin"


@require_GET
def pack_share(request, token):
    sending, error = find_link(PackSending, token)
    if error:
        return link_gone(request, *error, kind="pack")
    context = {"snapshot": sending.snapshot, "token": token, "sending": sending}
    return private(render(request, "support/share.html", context))


@require_GET
def pack_pdf(request, token):
    sending, error = find_link(PackSending, token)
    if error:
        return link_gone(request, *error, kind="pack")
    data = render_pack_pdf(sending.snapshot)
    response = HttpResponse(data, content_type="application/pdf")
    name = slugify(sending.snapshot.get("title", "")) or "signposting-pack"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return private(response)


@require_http_methods(["GET", "POST"])
def area_progress(request, token):
    link, error = find_link(ProgressLink, token)
    if error:
        return link_gone(request, *error, kind="progress")
    recommendations = recommendations_for_area(link.visit)
    status = 200
    refused = ""
    if request.method == "POST":
        form = AreaProgressForm(recommendations, request.POST)
        if form.foreign_ids():
            status = 400
            refused = (
                "Nothing was saved: the form named a recommendation that is not one of this "
                "visit's. Reload the page and try again."
            )
            form = AreaProgressForm(recommendations)
        elif not allow(RATE_LIMIT_SCOPE, str(link.pk), *POSTS_PER_LINK):
            status = 429
            refused = "Nothing was saved: this link has been used to save many times in the "
            refused += "last hour. Try again later."
        elif form.is_valid():
            changed = record_progress(link, form.wanted())
            return redirect(f"{request.path}?saved={changed}")
        else:
            status = 400
    else:
        form = AreaProgressForm(recommendations)
    saved = request.GET.get("saved", "")
    context = {
        "link": link,
        "visit": link.visit,
        "form": form,
        "refused": refused,
        "saved": int(saved) if saved.isdigit() else None,
    }
    response = render(request, "support/progress.html", context, status=status)
    return private(response, referrer_policy=PROGRESS_REFERRER_POLICY)
