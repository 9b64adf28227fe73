#!/usr/bin/env python3
"""Page heights of a built site at 390 px (phone) and 1366 px (desktop), measured in headless
Chromium: each page is loaded into a frame of that width and its scrollHeight read back.
Usage: python3 bench/page_heights.py PUBLIC_DIR  (prints the six longest pages: phone, desktop, path)
"""
import subprocess, sys, os, glob, re, tempfile
probe='''<!DOCTYPE html><html><body><iframe id="f" width="WIDTHPX" height="844" src="PAGE"></iframe><script>
document.getElementById("f").addEventListener("load",function(){var d=this.contentWindow.document;var p=document.createElement("pre");p.id="h";p.textContent=d.documentElement.scrollHeight;document.body.appendChild(p);});
</script></body></html>'''
def height(page, width):
    d=os.path.dirname(page); name=os.path.basename(page)
    pp=os.path.join(d,'probe-h.html'); open(pp,'w').write(probe.replace('PAGE',name).replace("WIDTHPX",str(width)))
    prof=tempfile.mkdtemp()
    out=subprocess.run(['chromium','--headless','--no-sandbox','--disable-gpu','--no-first-run','--disable-background-networking','--disable-component-update','--hide-scrollbars','--allow-file-access-from-files','--window-size=1500,900','--dump-dom',f'--user-data-dir={prof}','file://'+pp],capture_output=True,text=True,timeout=60).stdout
    os.remove(pp)
    m=re.search(r'<pre id="h">(\d+)</pre>',out); return int(m.group(1)) if m else -1
root=sys.argv[1]
pages=[p for p in glob.glob(root+'/**/*.html',recursive=True) if 'probe' not in p]
res=[]
for p in pages:
    res.append((height(p,390),height(p,1366),p.replace(root+'/','')))
res.sort(reverse=True)
for r in res[:6]: print(r)
