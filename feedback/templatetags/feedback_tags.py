from django import template

from feedback.records import may_ask_about

register = template.Library()


@register.inclusion_tag("feedback/_page_feedback_form.html", takes_context=True)
def page_feedback(context):
    """The Yes/No form and problem link, only on public addresses (never on a token link)."""
    request = context.get("request")
    path = request.path if request is not None else ""
    return {"show": bool(path) and may_ask_about(path), "path": path}
