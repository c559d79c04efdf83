"""Masking what readers are asked not to type: email addresses and phone numbers."""

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Nine or more digits, allowing spaces, dots, dashes, brackets and a leading +: UK numbers have
# 10 or 11 digits; years, counts and percentages have far fewer.
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){8,}(?![\w])")
EMAIL_MASK = "[email removed]"
PHONE_MASK = "[phone number removed]"


def mask_personal_details(text: str) -> str:
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))
