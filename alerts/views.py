"""Sign-up, confirmation, one-click unsubscribe and "manage your alerts", all without an account.

The search a sign-up follows is the results page's own query string (kept in the form's
action), validated by the search app's rules. Tokens in links carry only a signed subscription
id. Addresses are never logged, and the sign-up form's `email` is masked in error reports.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from config.security import client_ip
from search.engines import EngineUnavailable, InvalidSearchRequest
from search.links import filters_from, results_url, search_query_string

from . import signup
from .forms import FrequencyForm, SubscribeForm
from .links import make_token, read_token
from .models import FREQUENCIES, Subscription
from .searches import canonical, preview, request_for

GONE_MESSAGE = "This link has expired or is not valid."


def link_problem(request, message=GONE_MESSAGE, status=404):
    return render(request, "alerts/link_problem.html", {"message": message}, status=status)


@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def subscribe(request):
    params = request.GET
    try:
        search_request = request_for(params.get("q", ""), filters_from(params))
        description, total = preview(search_request)
    except InvalidSearchRequest as error:
        return link_problem(request, f"This search cannot be followed: {error.message}", 400)
    except EngineUnavailable:
        response = link_problem(request, "Search is unavailable; try again shortly.", 503)
        response["Retry-After"] = "60"
        return response
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signup.subscribe(
                    form.cleaned_data["email"],
                    canonical(search_request),
                    description,
                    form.cleaned_data["frequency"],
                    client_ip(request),
                )
            except signup.TooManySignups:
                return render(request, "alerts/too_many.html", status=429)
            return HttpResponseRedirect(reverse("alert-check-email"), status=303)
        status = 400
    context = {
        "form": form,
        "description": description,
        "total": total,
        "query_string": search_query_string(search_request),
        "results_url": results_url(search_request),
    }
    return render(request, "alerts/subscribe.html", context, status=status)


def check_email(request):
    return render(request, "alerts/check_email.html")


def subscription_from(purpose, token):
    subscription_id = read_token(purpose, token)
    if subscription_id is None:
        return None, False
    return Subscription.objects.filter(pk=subscription_id).first(), True


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a link scanner that follows links confirms nothing."""
    subscription, valid = subscription_from("confirm", token)
    if subscription is None:
        return link_problem(request, GONE_MESSAGE + " Sign up again from the search page.")
    if request.method == "POST":
        signup.confirm(subscription)
        return render(
            request,
            "alerts/confirmed.html",
            {"subscription": subscription, "manage_token": make_token("manage", subscription.pk)},
        )
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: mail providers POST here without a cookie; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription, valid = subscription_from("unsubscribe", token)
    if not valid:
        return link_problem(request)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "alerts/unsubscribed.html")
    if subscription is None:
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Every alert of the address the link was sent to; change how often, or stop one."""
    owner, valid = subscription_from("manage", token)
    if owner is None:
        return link_problem(request, GONE_MESSAGE + " Use the link in your most recent alert.")
    subscriptions = Subscription.objects.filter(email=owner.email).order_by("created_at", "pk")
    message = None
    if request.method == "POST":
        chosen_id = request.POST.get("subscription", "")
        chosen = subscriptions.filter(pk=chosen_id).first() if chosen_id.isdigit() else None
        if chosen is None:
            return link_problem(request, "That alert is no longer there.", 400)
        if request.POST.get("action") == "unsubscribe":
            chosen.delete()
            message = f"You will no longer get emails about: {chosen.description}"
            if chosen.pk == owner.pk:
                return render(request, "alerts/unsubscribed.html")
        else:
            form = FrequencyForm(request.POST)
            if not form.is_valid():
                return link_problem(request, "Choose how often you want emails.", 400)
            chosen.frequency = form.cleaned_data["frequency"]
            chosen.save(update_fields=["frequency"])
            message = f"Saved: {chosen.get_frequency_display().lower()} for {chosen.description}"
    rows = [
        {"subscription": subscription, "confirmed": subscription.confirmed_at is not None}
        for subscription in subscriptions
    ]
    return render(
        request,
        "alerts/manage.html",
        {"rows": rows, "frequencies": FREQUENCIES, "message": message, "token": token},
    )
