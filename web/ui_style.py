"""Look of the web UI: theme with local CJK fonts (no web-font download), card styles, copy script."""
from __future__ import annotations

import gradio as gr

FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "ui-sans-serif",
         "system-ui", "sans-serif"]
MONO = ["Noto Sans Mono CJK SC", "ui-monospace", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="blue", secondary_hue="sky", neutral_hue="slate",
                          font=FONTS, font_mono=MONO)


CSS = """
.gradio-container { max-width: 1180px !important; margin: auto; }
#pa-header h1 { margin-bottom: 0.1em; }
#pa-header p { color: var(--body-text-color-subdued); margin-top: 0; }
.pa-card { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 6px 0;
           padding: 4px 10px; background: var(--background-fill-secondary); }
.pa-card summary { cursor: pointer; line-height: 1.6; }
.pa-quote { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--color-accent);
            background: var(--background-fill-primary); white-space: pre-wrap; }
.pa-clause { font-weight: 600; color: var(--color-accent); }
.pa-docno, .pa-region { color: var(--body-text-color-subdued); }
.pa-badge-expired { background: #fde68a; color: #7c2d12; border-radius: 4px; padding: 0 6px; font-size: 0.85em; }
.pa-warning, .pa-expired { background: #fef3c7; color: #7c2d12; border: 1px solid #f59e0b;
                           border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.pa-calc { border: 2px solid var(--color-accent); border-radius: 8px; padding: 8px 12px; margin: 8px 0;
           background: var(--background-fill-primary); }
.pa-calc-title { font-weight: 600; }
.pa-figure { font-size: 1.35em; margin: 4px 0; }
.pa-figure b { color: #b91c1c; }
.pa-ineligible { color: #92400e; }
.pa-formula { font-family: var(--font-mono); background: var(--background-fill-secondary);
              padding: 4px 8px; border-radius: 4px; }
.pa-basis, .pa-reason, .pa-inst, .pa-notes { margin-top: 4px; }
.pa-sources-title, .pa-count { color: var(--body-text-color-subdued); font-size: 0.92em; margin-top: 8px; }
.pa-hit { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.pa-hit-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pa-rank { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 50%;
           background: var(--color-accent); color: white; font-weight: 600; }
.pa-path { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 2px 0; }
.pa-hit-text { line-height: 1.7; }
.pa-hit mark { background: #fde047; color: inherit; padding: 0 1px; }
.pa-rules { font-size: 0.85em; color: #166534; background: #dcfce7; border-radius: 4px; padding: 0 6px; }
button.pa-copy { margin-left: auto; border: 1px solid var(--color-accent); color: var(--color-accent);
                 background: transparent; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
button.pa-copy:hover { background: var(--color-accent); color: white; }
.pa-empty, .pa-error { padding: 12px; color: var(--body-text-color-subdued); }
.pa-error { color: #b91c1c; }
.pa-doc-head h3 { margin-bottom: 2px; }
.pa-doc-facts { color: var(--body-text-color-subdued); margin-bottom: 6px; }
.pa-section { margin: 6px 0; }
.pa-section summary { font-weight: 600; cursor: pointer; padding: 4px 0; }
.pa-node { padding: 3px 0; line-height: 1.7; border-bottom: 1px dashed var(--border-color-primary); }
.pa-node-heading { font-weight: 600; }
"""

# Delegated click handler of the search results (attached once; survives every re-render).
COPY_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button.pa-copy');
  if (!button) return;
  const text = button.dataset.copy;
  const done = () => { button.textContent = '已复制 ✓'; setTimeout(() => { button.textContent = '复制条款及出处'; }, 1500); };
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); done(); } finally { area.remove(); }
  };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, fallback); }
  else { fallback(); }
});
"""
