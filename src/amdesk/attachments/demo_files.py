"""Sample files drawn in code (for the demo and the tests): an on-site photo and a deposit slip PDF.
Nothing binary is committed; Pillow draws them."""

import io

from PIL import Image, ImageDraw


def photo_jpeg(width: int = 640, height: int = 480, *, seed: int = 0) -> bytes:
    """A plain "shop front": sky, a wall, a door and a sign, in colours that vary with the seed."""
    image = Image.new("RGB", (width, height), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    wall = (180 + seed * 13 % 60, 150 + seed * 7 % 60, 120)
    draw.rectangle([0, height // 3, width, height], fill=wall)
    draw.rectangle([width // 2 - 60, height // 2, width // 2 + 60, height], fill=(90, 60, 40))
    draw.rectangle([width // 6, height // 3 + 20, width * 5 // 6, height // 3 + 70], fill=(200, 20, 20))
    draw.text((width // 6 + 10, height // 3 + 35), f"SHOP {seed:03d}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def slip_pdf(amount: str = "50,000.00", *, account: str = "6222 **** **** 1234") -> bytes:
    """A one-page deposit slip as a PDF (Pillow writes the PDF around a drawn page)."""
    page = Image.new("RGB", (600, 300), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle([10, 10, 590, 290], outline=(0, 0, 0), width=2)
    draw.text((30, 30), "DEPOSIT SLIP", fill=(0, 0, 0))
    draw.text((30, 90), f"ACCOUNT  {account}", fill=(0, 0, 0))
    draw.text((30, 140), f"AMOUNT   CNY {amount}", fill=(0, 0, 0))
    draw.text((30, 240), "SIGNATURE ____________", fill=(0, 0, 0))
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=100)
    return out.getvalue()


def id_card_jpeg(*, seed: int = 0) -> bytes:
    """A made-up ID card copy: a card outline, a photo box and a masked number (no real person)."""
    image = Image.new("RGB", (856, 540), (235, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([20, 20, 836, 520], radius=24, outline=(60, 90, 140), width=4)
    draw.rectangle([600, 80, 800, 330], fill=(200, 205, 215))
    draw.text((60, 80), "SPECIMEN - DEMO ONLY", fill=(160, 40, 40))
    draw.text((60, 440), f"330106 ******** {seed % 10000:04d}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
