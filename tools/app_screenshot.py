"""README's screenshot of the page: start `art-predict-app` with MODEL, drop IMAGE on the page in Chromium, press
Submit, and save the page as OUT (a PNG). Run:

    .venv/bin/python tools/app_screenshot.py MODEL IMAGE OUT"""
import shutil, subprocess, sys, time, urllib.request
from pathlib import Path
from playwright.sync_api import sync_playwright
from art_predict.app import free_port

model,image,out = sys.argv[1:4]
port = free_port(); url = f"http://127.0.0.1:{port}"
srv = subprocess.Popen([Path(sys.executable).parent/'art-predict-app', '--model', model, '--port', str(port)])
try:
    for _ in range(120):
        try: urllib.request.urlopen(url, timeout=1); break
        except OSError: time.sleep(0.5)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which('chromium'), args=['--no-sandbox'])
        page = browser.new_page(viewport=dict(width=900, height=800))
        page.goto(url)
        page.locator('input[type=file]').first.set_input_files([image])
        page.get_by_role('button', name='Submit').click()
        page.get_by_test_id('label-output-value').wait_for(timeout=60000)
        page.wait_for_timeout(500)
        page.screenshot(path=out, full_page=True)
        browser.close()
finally: srv.terminate(); srv.wait()
print(f"written: {out}")
