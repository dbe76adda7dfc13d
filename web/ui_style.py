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
.gradio-container { max-width: 1180px !important; width: 100%; margin: auto; }
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
.pa-warning, .pa-told-warning, .pa-expired { background: #fef3c7; color: #7c2d12; border: 1px solid #f59e0b;
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
.pa-hit-head { display: flex; gap: 8px; align-items: flex-start; }
.pa-hit-title { flex: 1 1 auto; min-width: 0; }
.pa-hit-meta { color: var(--body-text-color-subdued); font-size: 0.92em; }
.pa-rank { flex: 0 0 auto; display: inline-block; min-width: 1.6em; text-align: center; border-radius: 50%;
           background: var(--color-accent); color: white; font-weight: 600; margin-top: 1px; }
.pa-path { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 2px 0; }
.pa-hit-text { line-height: 1.7; }
.pa-hit mark { background: #fde047; color: inherit; padding: 0 1px; }
.pa-admin-clause mark { background: #fde047; color: inherit; padding: 0 1px; }
.pa-admin-clause .pa-admin-where { font-weight: 600; margin-bottom: 4px; }
.pa-admin-coverage .pa-uncovered { color: #b91c1c; }
.pa-rules { font-size: 0.85em; color: #166534; background: #dcfce7; border-radius: 4px; padding: 0 6px; }
button.pa-copy { flex: 0 0 auto; white-space: nowrap; margin-left: auto; border: 1px solid var(--color-accent); color: var(--color-accent);
                 background: transparent; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
button.pa-copy:hover { background: var(--color-accent); color: white; }
.pa-empty, .pa-error { padding: 12px; color: var(--body-text-color-subdued); }
.pa-error { color: #b91c1c; }
.pa-doc-head h3 { margin-bottom: 2px; }
.pa-doc-facts { color: var(--body-text-color-subdued); margin-bottom: 6px; }
.pa-section { margin: 6px 0; }
.pa-section summary { font-weight: 600; cursor: pointer; padding: 4px 0; }
.pa-node { margin-left: calc(var(--pa-depth, 0) * 1.4em); padding: 3px 0; line-height: 1.7; border-bottom: 1px dashed var(--border-color-primary); }
.pa-node-heading { font-weight: 600; }
.pa-headline { font-size: 1.15em; line-height: 1.5; margin: 2px 0 8px; }
.pa-headline b { color: #b91c1c; font-size: 1.2em; }
.pa-toc { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0; padding: 6px 10px; border-radius: 6px;
          background: var(--background-fill-secondary); font-size: 0.92em; }
.pa-toc-title { font-weight: 600; color: var(--body-text-color-subdued); }
.pa-toc a { color: var(--color-accent); text-decoration: none; }
.pa-toc a:hover { text-decoration: underline; }
.pa-anchor { display: block; scroll-margin-top: 8px; }
#pa-chat .examples button.example { border: 1px solid var(--border-color-primary) !important; border-radius: 10px;
                                    background: var(--background-fill-secondary) !important; }
#pa-chat .examples button.example:hover { border-color: var(--color-accent) !important; }
#pa-chat .message-wrap .pa-quote, #pa-hits .pa-hit-text { overflow-wrap: anywhere; }
.pa-hidden { display: none !important; }
#pa-feedback-row { margin-top: 4px; }
.pa-num { white-space: nowrap; }
.pa-hl { background: #fef9c3; outline: 2px solid #f59e0b; border-radius: 4px; scroll-margin-top: 80px; }
.pa-hit-tools, .pa-answer-tools { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin-top: 6px; }
a.pa-goto { color: var(--color-accent); font-size: 0.92em; }
.pa-copy-source { display: none; }
a.pa-copy-answer { color: var(--color-accent); font-size: 0.92em; }
button.pa-calc-go { border: 1px solid var(--color-accent); color: var(--color-accent); background: transparent;
                 border-radius: 6px; padding: 2px 10px; cursor: pointer; font-size: 0.92em; }
button.pa-calc-go:hover { background: var(--color-accent); color: white; }
.pa-others { margin-top: 14px; border-top: 1px dashed var(--border-color-primary); padding-top: 8px; }

/* Phones (the portal is embedded in a WeChat-style page): less padding, one control a row,
   a chat that fits the screen with the input box still visible. */
@media (max-width: 640px) {
  #pa-header h1 { font-size: 1.5em; }
  #pa-header p { font-size: 0.85em; }
  .tab-container button[role="tab"] { padding: 0 9px !important; }   /* all four tabs fit, none in "⋯" */
  #pa-chat { height: max(300px, calc(100dvh - 260px)) !important; }
  #pa-chat .message-row.bot-row { max-width: 100% !important; margin-left: 6px !important; margin-right: 6px !important; }
  .pa-stack > *, .pa-stack > .form > * { min-width: 100% !important; }   /* Gradio groups fields in a .form */
  #pa-input-row { flex-wrap: nowrap; gap: 6px; }
  #pa-input-row > * { min-width: 0 !important; }
  #pa-input-row > #pa-question { flex: 1 1 auto !important; }
  #pa-input-row > button { flex: 0 0 auto !important; padding-left: 10px; padding-right: 10px; }
  .pa-hit-head { flex-wrap: wrap; }
  .pa-hit-title { flex-basis: calc(100% - 2.4em); }
  button.pa-copy { margin-left: 2.2em; }
  .pa-node { margin-left: calc(var(--pa-depth, 0) * 0.6em); }
}
"""

# Rules for Gradio's own frame, outside the app's content: Gradio scopes the `css` above to its
# content (prefixing `.contain`), so these go into the page head as they are.
HEAD = """<style>
@media (max-width: 640px) {
  .gradio-container > .main.app { padding: 8px 10px !important; }
}
</style>"""

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

# Loaded once with the page. The chat does not autoscroll (that leaves a long answer's reader at
# its last source card, the figure scrolled away above); instead, when a new question appears, the
# chat (only the chat, not the page) scrolls so that question is at the top and the answer unrolls
# below it, figure first. Short exchanges are unaffected: the scroll clamps at the end.
FOLLOW_QUESTION_JS = """
() => {
  // 复制答复口径, 在原文中查看, 去计算: one delegated handler for the whole page
  const copy = (button, text, label) => {
    const done = () => { button.textContent = '已复制 ✓'; setTimeout(() => { button.textContent = label; }, 1500); };
    const fallback = () => {
      const area = document.createElement('textarea');
      area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
      document.body.appendChild(area); area.select();
      try { document.execCommand('copy'); done(); } finally { area.remove(); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  };
  const send = (id, value) => {
    const field = document.querySelector(`#${id} textarea, #${id} input`);
    if (!field) return;
    field.value = `${value}|${Date.now()}`;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  };
  document.addEventListener('click', (event) => {
    const answerCopy = event.target.closest('a.pa-copy-answer');
    if (answerCopy) {
      event.preventDefault();
      const source = answerCopy.parentElement.querySelector('.pa-copy-source');
      if (source) copy(answerCopy, source.textContent, '📋 复制答复口径');
      return;
    }
    const goto = event.target.closest('a.pa-goto');
    if (goto) {
      event.preventDefault();
      send('pa-goto-clause', decodeURIComponent(goto.getAttribute('href').split('#pa-goto=')[1] || ''));
      return;
    }
    const calc = event.target.closest('button.pa-calc-go');
    if (calc) { event.preventDefault(); send('pa-goto-rule', calc.dataset.rule); }
  });
  // Chinese names where Gradio's own are English, and no HTML in a message's accessible name
  const NAMES = { 'chatbot conversation': '对话记录', 'Textbox': '文本框', 'Copy message': '复制消息',
                  'Like': '有帮助', 'Dislike': '没帮助', 'Clear': '清空', 'Close': '关闭' };
  const fixNames = () => {
    document.querySelectorAll('[aria-label]').forEach((el) => {
      const name = el.getAttribute('aria-label');
      if (NAMES[name]) el.setAttribute('aria-label', NAMES[name]);
      else if (name.includes('<')) el.setAttribute('aria-label', (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 300));
    });
    document.querySelectorAll('[title="Copy message"]').forEach((el) => el.setAttribute('title', '复制消息'));
    document.querySelectorAll('.toast-title').forEach((el) => {
      const t = el.textContent.trim();
      if (t === 'Info' || t === 'Warning' || t === 'Error') el.textContent = t === 'Error' ? '错误' : '提示';
    });
    const hl = document.querySelector('#pa-doc-tree .pa-hl:not([data-seen])');
    if (hl && hl.offsetParent) { hl.dataset.seen = '1'; hl.scrollIntoView({ block: 'center' }); }
  };
  let seen = 0, pinned = null;
  const scroller = (row) => {
    let box = row.parentElement;
    while (box && box !== document.body) {
      const overflow = getComputedStyle(box).overflowY;
      if (overflow === 'auto' || overflow === 'scroll') return box;
      box = box.parentElement;
    }
    return null;
  };
  const pin = () => {
    const box = pinned && pinned.isConnected ? scroller(pinned) : null;
    if (!box) { pinned = null; return; }
    const top = Math.max(0, pinned.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 36);
    box.scrollTop = top;
    if (Math.abs(box.scrollTop - top) < 2) pinned = null;      // there: the answer unrolls below it
  };
  const release = () => { pinned = null; };                    // the reader scrolls: leave it to them
  for (const type of ['wheel', 'touchmove']) document.addEventListener(type, release, { passive: true });
  new MutationObserver(() => {
    const rows = document.querySelectorAll('#pa-chat .message-row.user-row');
    if (rows.length > seen) pinned = rows[rows.length - 1];
    seen = rows.length;
    if (pinned) requestAnimationFrame(pin);
    fixNames();
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}
"""
