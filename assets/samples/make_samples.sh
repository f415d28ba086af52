#!/usr/bin/env bash
# Makes the sample drafts under assets/samples/, the files the README's launch command opens:
# small, realistic drafts that a reviewer would expect Vetted to flag. Every name, number and
# place in them is invented (the resident ID is the standard's own example, the mobile number a
# well-known placeholder). Run from anywhere after `source scripts/python-env.sh` (Pillow comes
# with reportlab); needs exiftool (scripts/setup-system.sh).
set -euo pipefail
cd "$(dirname "$0")"

cat > '采购公告-草稿.txt' <<'TXT'
某市公共资源交易中心
采购公告（草稿，请勿外发）

密级：机密★10年
项目名称：通信设备维修保障服务采购
项目编号：ZB-2026-0417
采购单位：95837部队后勤保障处

一、项目概况
本项目为军用短波通信设备的维修保障服务。设备工作频段 2.5 GHz 至 2.7 GHz，
型号 XX-12，共 36 套，要求故障修复后测距精度不低于 0.5 米。
交付地点：北纬39°54′ 东经116°23′ 附近营区（军事管理区，禁止拍摄）。

二、供应商资格要求
1. 具有独立承担民事责任的能力；
2. 具备涉密信息系统集成资质（保密资质），并承诺遵守保密管理规定；
3. 近三年内在经营活动中没有重大违法记录。

三、获取采购文件
时间：2026年12月1日至12月7日，每日9:00—17:00。
地点：交易中心三楼服务大厅。

四、联系方式
联系人：张伟
身份证号：11010519491231002X
手机：13800138000
电话：010-63451234
电子邮箱：zhangwei@example.cn

某市公共资源交易中心
2026年11月29日
TXT

cat > press-release.md <<'MD'
# Harbor Logistics Modernization Reaches First Milestone

**SECRET//NOFORN** — draft banner, remove before release

*For immediate release — November 29, 2026*

The Port Authority today announced that the first phase of the harbor logistics
modernization program is complete. New cranes, a digital gate system and an
upgraded rail spur have cut average truck turnaround time by a third.

"This is a milestone for the region's exporters," said the program director.
The second phase, covering the northern container yard, begins in the spring.

## Background

The program is funded jointly by the city and the regional development fund.
Contract details are available from the procurement office on request.

## Media contact

Jane Doe, Communications Office
jane.doe@example.org · +1 (202) 555-0143 · 010-63451234
MD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${VETTED_PYTHON:-python3}" - "$tmp/site.jpg" <<'PY'
import sys
from PIL import Image, ImageDraw
picture = Image.new("RGB", (320, 200), (150, 190, 230))
draw = ImageDraw.Draw(picture)
draw.rectangle([0, 140, 320, 200], fill=(110, 150, 90))        # ground
draw.rectangle([40, 80, 150, 150], fill=(170, 160, 140))       # building
draw.rectangle([180, 60, 200, 150], fill=(120, 120, 120))      # mast
draw.polygon([(160, 60), (220, 60), (190, 30)], fill=(200, 60, 50))
draw.line([(0, 155), (320, 150)], fill=(90, 90, 90), width=3)  # fence
picture.save(sys.argv[1], quality=80)
PY
exiftool -q -overwrite_original -o site-photo.jpg.tmp \
  -GPSLatitude=39.904200 -GPSLatitudeRef=N -GPSLongitude=116.407400 -GPSLongitudeRef=E \
  -GPSAltitude=43 -GPSAltitudeRef=0 \
  -Make=Canon "-Model=Canon EOS R5" -SerialNumber=032021001234 \
  "-Artist=张伟" "-DateTimeOriginal=2026:11:20 09:41:05" \
  "-ImageDescription=95837部队营区北门" \
  "$tmp/site.jpg"
mv site-photo.jpg.tmp site-photo.jpg
