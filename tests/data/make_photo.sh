#!/usr/bin/env bash
# Makes tests/data/photo.jpg and photo.png: small pictures (Pillow, which also writes the PNG's
# tEXt chunk) whose metadata is written by exiftool, the tool reviewers and tests use as the
# independent reader of photo metadata. Run after `source scripts/python-env.sh`.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${VETTED_PYTHON:-python3}" - "$tmp" <<'PY'
import sys
from PIL import Image, ImageDraw
out = sys.argv[1]
picture = Image.new("RGB", (96, 64), (90, 140, 200))
draw = ImageDraw.Draw(picture)
draw.rectangle([10, 30, 60, 60], fill=(120, 110, 90))
draw.polygon([(8, 30), (35, 12), (62, 30)], fill=(160, 40, 40))
from PIL import ImageCms
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
picture.save(f"{out}/base.jpg", quality=85, icc_profile=icc)
picture.resize((24, 16)).save(f"{out}/thumb.jpg", quality=70)
from PIL.PngImagePlugin import PngInfo
info = PngInfo()
info.add_text("Author", "Wang Wu")
info.add_text("Description", "north gate, do not publish", zip=True)
picture.save(f"{out}/base.png", pnginfo=info)
PY
exiftool -q -overwrite_original -o "$tmp/photo.jpg" \
  -GPSLatitude=39.904211 -GPSLatitudeRef=N -GPSLongitude=116.407394 -GPSLongitudeRef=E \
  -GPSAltitude=43.5 -GPSAltitudeRef=0 \
  -Make=Canon "-Model=Canon EOS R5" -SerialNumber=032021001234 -LensSerialNumber=LS9300002468 \
  "-Artist=Zhang San" "-Copyright=Example Survey Bureau" "-DateTimeOriginal=2026:11:29 10:11:12" \
  "-Comment=site visit, do not publish" "-XMP-dc:Creator=Li Si" -XMP-photoshop:City=Beijing \
  "-ThumbnailImage<=$tmp/thumb.jpg" \
  "$tmp/base.jpg"
exiftool -q -overwrite_original -o "$tmp/photo.png" \
  -GPSLatitude=31.230416 -GPSLatitudeRef=N -GPSLongitude=121.473701 -GPSLongitudeRef=E \
  -Make=Apple "-Model=iPhone 15" -SerialNumber=F2LXK1234567 "-Artist=Zhang San" \
  "-XMP-dc:Creator=Li Si" -XMP-photoshop:City=Shanghai \
  "$tmp/base.png"
cp "$tmp/photo.jpg" photo.jpg
cp "$tmp/photo.png" photo.png
