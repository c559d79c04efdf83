"""Read a Wagtail admin form the way a browser would, so tests post exactly what an editor sends."""

from bs4 import BeautifulSoup


def form_data(html, form_id=None):
    """Every successful control of the form (checked boxes, selected options, text) as a dict.

    Values are lists, as a browser repeats a name; Django's test client posts lists as repeats.
    """
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else soup.find("form", attrs={"method": "post"})
    data = {}
    for control in form.find_all(["input", "select", "textarea"]):
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "input":
            kind = control.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                continue
            if kind in ("checkbox", "radio") and not control.has_attr("checked"):
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(control.get("value", default))
        elif control.name == "select":
            chosen = [o.get("value", o.text) for o in control.find_all("option", selected=True)]
            if not chosen and not control.has_attr("multiple"):
                first = control.find("option")
                chosen = [first.get("value", first.text)] if first else []
            data.setdefault(name, []).extend(chosen)
        else:
            # A browser drops the newline that follows <textarea>.
            text = control.text
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
    return data


def edit_form(client, page):
    """What the page's edit form holds now, as the editor's browser would post it."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200, response.status_code
    return form_data(response.content.decode(), form_id="page-edit-form")


def add_form(client, model, parent):
    """The blank create form for a page of `model` under `parent`, as a browser would post it."""
    meta = model._meta
    url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return url, form_data(response.content.decode(), form_id="page-edit-form")


def add_inline_rows(data, prefix, rows):
    """Append rows to an inline panel's formset, as the "Add" button does in the browser."""
    start = int(data.get(f"{prefix}-TOTAL_FORMS", ["0"])[0])
    for offset, row in enumerate(rows):
        index = start + offset
        data[f"{prefix}-{index}-id"] = [""]
        data[f"{prefix}-{index}-ORDER"] = [str(index + 1)]
        data[f"{prefix}-{index}-DELETE"] = [""]
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = [value]
    data[f"{prefix}-TOTAL_FORMS"] = [str(start + len(rows))]
    return data


def fill(data, **fields):
    """Set fields on posted form data; a list sets a multi-value field (e.g. ticked boxes)."""
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                data[name] = ["on"]
            else:
                data.pop(name, None)
        else:
            data[name] = (
                [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
            )
    return data
