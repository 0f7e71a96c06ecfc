"""Phone numbers: any local spelling of an Indonesian number to E.164, with the phonenumbers library."""

import phonenumbers


class InvalidPhoneNumber(ValueError):
    """The text is not a valid phone number."""


def to_e164(raw: str, region: str = "ID") -> str:
    """Normalise '0812…', '62812…', '+62 812-…' (and the like) to '+62812…'; raise InvalidPhoneNumber."""
    text = raw.strip()
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
