"""Phone numbers: any local spelling of an Indonesian number to E.164, with the phonenumbers library."""

import functools
import re

import phonenumbers

# Indonesian mobile numbers as rosters write them: 0812…, 62812…, +62 812-…; spaces, dots and dashes allowed.
_ID_MOBILE = re.compile(r"^(?:\+?62|0)(8\d{8,11})$")
_SEPARATORS = re.compile(r"[\s.\-()]")


@functools.lru_cache(maxsize=4096)
def _mobile_shape_is_valid(prefix: str, length: int) -> bool:
    """phonenumbers' verdict on an Indonesian mobile number, which depends only on its prefix and length.

    Asking once per (prefix, length) instead of once per number makes a 100,000-member roster import
    several seconds faster; numbers of any other shape still go through phonenumbers in full.
    """
    sample = phonenumbers.parse("+62" + prefix + "0" * (length - len(prefix)), None)
    return phonenumbers.is_valid_number(sample)


class InvalidPhoneNumber(ValueError):
    """The text is not a valid phone number."""


def to_e164(raw: str, region: str = "ID") -> str:
    """Normalise '0812…', '62812…', '+62 812-…' (and the like) to '+62812…'; raise InvalidPhoneNumber."""
    text = raw.strip()
    if region == "ID":
        mobile = _ID_MOBILE.match(_SEPARATORS.sub("", text))
        if mobile is not None:
            national = mobile.group(1)
            if _mobile_shape_is_valid(national[:4], len(national)):
                return "+62" + national
    digits = "".join(ch for ch in text if ch.isdigit())
    # Spreadsheets and Telegram contacts often drop the '+': '6281…' is an international number.
    if not text.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """A phone number as people write it: '+62 812-3456-7890'."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
