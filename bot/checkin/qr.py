"""QR codes as PNG images (segno), for the venue's check-in link."""

import io

import segno


def qr_png(text: str, *, scale: int = 12) -> bytes:
    """A PNG of `text` as a QR code, large enough to scan from a projector or a laptop screen."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
