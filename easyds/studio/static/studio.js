// The studio's page: three views (Try, Label, Report) over the JSON routes of easyds/studio/app.py.
// Every text that comes from a model, a pairs file or a user is written with textContent, never as HTML; the only
// HTML inserted is the report, which the server renders with every text escaped.
"use strict";

const I18N = {
  en: {
    title: "EasyDS studio", nav_try: "Try", nav_label: "Label", nav_report: "Report",
    try_missing: "No models loaded: start the studio with --models NAME=PATH.",
    f_topic: "Topic", f_knowledge_point: "Knowledge point (optional)", f_exercise: "Exercise",
    f_attempt: "Student's attempt or error", f_level: "Level", f_lang: "Language of the hint", sampling: "Sampling",
    f_do_sample: "sample (else greedy)", f_temperature: "temperature", f_top_p: "top-p",
    f_max_new_tokens: "max new tokens", f_seed: "seed (optional)", models: "Models", generate: "Generate",
    generating: "generating…", copy: "Copy", copied: "copied", rubric: "Rubric", reward: "reward model",
    finish_stop: "ended its turn", finish_length: "cut at the length limit", tokens: "tokens",
    label_missing: "No pairs loaded: start the studio with --pairs FILE.", annotator: "Your name",
    begin: "Start labelling", prev: "← Previous", next: "Next →", situation: "Situation",
    c_A: "A better", c_B: "B better", c_tie: "Tie", c_both_bad: "Both bad",
    reasons: "Reasons (the rubric's criteria; keys q w e r t y u i o)", note: "Note (optional)",
    keys_help: "Keys: 1 A better · 2 B better · 3 tie · 4 both bad · ← → move between pairs.",
    label_done: "Every pair is labelled. Thank you!", agreement: "Agreement between annotators",
    export: "Export labelled pairs", saved: "saved", saving: "saving…", not_saved: "NOT saved",
    labelled: "labelled", need_name: "enter your name first", change: "Change name",
    a_pair: "annotators", shared: "shared pairs", raw: "raw agreement", kappa: "Cohen's κ",
    disagreements: "Pairs they disagree on", none: "none", exported: "exported",
    report_missing: "No reports: start the studio with --runs DIR.", report_choose: "Report",
    samples: "Samples side by side", prompt: "Situation", error: "error",
    level_beginner: "beginner", level_intermediate: "intermediate", level_advanced: "advanced",
    lang_en: "English", lang_zh: "Chinese",
    mistake_identification: "identifies the mistake", mistake_location: "locates the mistake",
    not_revealing: "does not reveal the answer", providing_guidance: "guides correctly", actionability: "actionable",
    coherence: "coherent, finished", tutor_tone: "encouraging tone", length: "length", language: "language",
  },
  zh: {
    title: "EasyDS 工作台", nav_try: "试用", nav_label: "标注", nav_report: "报告",
    try_missing: "未加载模型：请用 --models 名称=路径 启动。",
    f_topic: "主题", f_knowledge_point: "知识点（可选）", f_exercise: "题目", f_attempt: "学生的尝试或错误",
    f_level: "水平", f_lang: "提示的语言", sampling: "采样设置", f_do_sample: "随机采样（否则贪心）",
    f_temperature: "温度", f_top_p: "top-p", f_max_new_tokens: "最多新词元", f_seed: "随机种子（可选）",
    models: "模型", generate: "生成", generating: "生成中…", copy: "复制", copied: "已复制", rubric: "评分细则",
    reward: "奖励模型", finish_stop: "自然结束", finish_length: "达到长度上限被截断", tokens: "词元",
    label_missing: "未加载偏好对：请用 --pairs 文件 启动。", annotator: "你的名字", begin: "开始标注",
    prev: "← 上一对", next: "下一对 →", situation: "学生情境",
    c_A: "A 更好", c_B: "B 更好", c_tie: "一样好", c_both_bad: "都不好",
    reasons: "理由（评分细则的各项；按键 q w e r t y u i o）", note: "备注（可选）",
    keys_help: "按键：1 A 更好 · 2 B 更好 · 3 一样 · 4 都不好 · ← → 切换。",
    label_done: "全部标注完成，谢谢！", agreement: "标注者之间的一致性", export: "导出标注结果",
    saved: "已保存", saving: "保存中…", not_saved: "未保存", labelled: "已标注", need_name: "请先输入名字",
    change: "更换名字",
    a_pair: "标注者", shared: "共同标注的对数", raw: "原始一致率", kappa: "Cohen κ",
    disagreements: "意见不一致的对", none: "无", exported: "已导出",
    report_missing: "没有报告：请用 --runs 目录 启动。", report_choose: "报告",
    samples: "样例对照", prompt: "学生情境", error: "错误",
    level_beginner: "初级", level_intermediate: "中级", level_advanced: "高级", lang_en: "英文", lang_zh: "中文",
    mistake_identification: "指出了错误", mistake_location: "定位了错误", not_revealing: "没有泄露答案",
    providing_guidance: "引导正确", actionability: "可操作", coherence: "连贯完整", tutor_tone: "鼓励的语气",
    length: "长度合适", language: "语言正确",
  },
};

const TAG_KEYS = "qwertyuio";
const CHOICE_KEYS = {"1": "A", "2": "B", "3": "tie", "4": "both_bad"};
const state = {lang: localStorage.getItem("studio.lang") || (navigator.language.startsWith("zh") ? "zh" : "en"),
               config: null, pair: null, annotator: "", busy: false, reportsLoaded: false};

const $ = (id) => document.getElementById(id);
const t = (key) => (I18N[state.lang][key] ?? I18N.en[key] ?? key);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function newId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

async function api(method, path, body) {
  const opts = {method, headers: {"X-Studio": "1"}};
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({error: {status: r.status, message: r.statusText}}));
  if (!r.ok) throw Object.assign(new Error(data.error?.message || r.statusText), {status: r.status,
                                                                                  field: data.error?.field});
  return data;
}

// --- language -----------------------------------------------------------------------------------------------------
function applyLang() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
  $("lang-toggle").textContent = state.lang === "zh" ? "English" : "中文";
  document.title = t("title");
  if (state.config) { fillSelects(); fillTags(); }
}

// --- errors shown at their field ----------------------------------------------------------------------------------
function clearErrors(scope) {
  scope.querySelectorAll(".err").forEach((e) => { e.textContent = ""; });
  scope.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
}

function showError(scope, err) {
  const field = (err.field || "body").replace(/^items\[\d+\]\./, "");
  const slot = scope.querySelector(`.err[data-err="${CSS.escape(field)}"]`) || scope.querySelector('.err[data-err="body"]');
  if (slot) slot.textContent = `${t("error")}: ${err.message}`;
  const input = $(`f-${field}`);
  if (input) { input.classList.add("invalid"); input.focus(); }
  return slot;
}

// --- Try ----------------------------------------------------------------------------------------------------------
function fillSelects() {
  const c = state.config;
  for (const [id, values, prefix] of [["f-level", c.levels, "level_"], ["f-lang", c.langs, "lang_"]]) {
    const sel = $(id), keep = sel.value;
    sel.replaceChildren(...values.map((v) => { const o = el("option", t(prefix + v)); o.value = v; return o; }));
    if (keep) sel.value = keep;
  }
}

function setupTry() {
  const c = state.config;
  if (!c.models.length) { $("try-missing").hidden = false; $("try-form").hidden = true; return; }
  fillSelects();
  if (c.defaults) $("f-max_new_tokens").value = c.defaults.max_new_tokens;
  const box = $("model-choice");
  c.models.forEach((name) => {
    const l = el("label", null, "inline"), cb = el("input");
    cb.type = "checkbox"; cb.checked = true; cb.value = name; cb.name = "model";
    l.append(cb, " ", el("span", name));
    box.insertBefore(l, box.querySelector(".err"));
  });
  $("try-form").addEventListener("submit", (ev) => { ev.preventDefault(); submitTry(); });
}

function tryBody() {
  const f = $("try-form"), body = {};
  for (const name of ["topic", "knowledge_point", "exercise", "attempt", "level", "lang"]) {
    const v = f.elements[name].value;
    if (name === "knowledge_point" && !v.trim()) continue;
    body[name] = v;
  }
  body.do_sample = f.elements.do_sample.checked;
  for (const name of ["temperature", "top_p"]) if (f.elements[name].value !== "") body[name] = Number(f.elements[name].value);
  for (const name of ["max_new_tokens", "seed"]) if (f.elements[name].value !== "") body[name] = Number(f.elements[name].value);
  body.models = Array.from(f.querySelectorAll('input[name="model"]:checked'), (cb) => cb.value);
  return body;
}

async function submitTry() {
  const form = $("try-form"), out = $("try-results");
  clearErrors(form);
  $("try-submit").disabled = true;
  $("try-status").textContent = t("generating");
  try {
    const data = await api("POST", "/api/try", tryBody());
    out.replaceChildren(...data.results.map(resultCard));
    $("try-status").textContent = "";
  } catch (err) {
    $("try-status").textContent = "";
    showError(form, err);
  } finally {
    $("try-submit").disabled = false;
  }
}

function resultCard(r) {
  const card = el("article", null, "card result");
  card.dataset.model = r.model;
  const head = el("h3", r.model);
  const copy = el("button", t("copy"), "copy");
  copy.type = "button";
  copy.addEventListener("click", () => copyText(r.text, copy));
  head.append(" ", copy);
  const meta = [`${r.tokens} ${t("tokens")}`, t(`finish_${r.finish_reason}`), `${r.generate_ms} ms`];
  if (r.reward !== null && r.reward !== undefined) meta.push(`${t("reward")} ${r.reward.toFixed(3)}`);
  const list = el("ul", null, "rubric");
  state.config.criteria.forEach((c) => {
    const ok = r.rubric[c] >= 1;
    const li = el("li", `${ok ? "✓" : "✗"} ${t(c)}`, ok ? "pass" : "fail");
    li.dataset.criterion = c;
    list.append(li);
  });
  card.append(head, el("p", r.text, "hint"), el("p", meta.join(" · "), "muted"),
              el("h4", `${t("rubric")} ${r.rubric.total.toFixed(2)}`), list);
  return card;
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea"); area.value = text; document.body.append(area); area.select();
    document.execCommand("copy"); area.remove();
  }
  button.textContent = t("copied");
  setTimeout(() => { button.textContent = t("copy"); }, 1200);
}

// --- Label --------------------------------------------------------------------------------------------------------
function fillTags() {
  const box = $("label-tags"), checked = new Set(selectedTags());
  box.querySelectorAll("label").forEach((l) => l.remove());
  state.config.reason_tags.forEach((tag, i) => {
    const l = el("label", null, "inline tag"), cb = el("input");
    cb.type = "checkbox"; cb.value = tag; cb.checked = checked.has(tag);
    l.append(cb, " ", el("kbd", TAG_KEYS[i] || ""), " ", el("span", t(tag)));
    box.append(l);
  });
}

function selectedTags() {
  return Array.from($("label-tags").querySelectorAll("input:checked"), (cb) => cb.value);
}

function setupLabel() {
  if (!state.config.pairs) { $("label-missing").hidden = false; $("label-start").hidden = true; return; }
  fillTags();
  // The name this tab labels under lives in sessionStorage (a reload resumes it; another tab has its own); the last
  // name typed only prefills the box.
  const active = sessionStorage.getItem("studio.annotator");
  $("annotator").value = active || localStorage.getItem("studio.annotator") || "";
  $("label-begin").addEventListener("click", () => (state.annotator ? changeAnnotator() : beginLabelling()));
  $("annotator").addEventListener("keydown", (ev) => { if (ev.key === "Enter" && !state.annotator) beginLabelling(); });
  document.querySelectorAll(".choice").forEach((b) => b.addEventListener("click", () => decide(b.dataset.choice)));
  $("label-prev").addEventListener("click", () => move(-1));
  $("label-next").addEventListener("click", () => move(+1));
  $("label-agreement-btn").addEventListener("click", showAgreement);
  $("label-export-btn").addEventListener("click", exportLabels);
  document.addEventListener("keydown", labelKeys);
  if (active) beginLabelling();
}

async function beginLabelling() {
  const name = $("annotator").value.trim();
  clearErrors($("label-start"));
  if (!name) { $("label-start").querySelector(".err").textContent = t("need_name"); return; }
  state.annotator = name;
  sessionStorage.setItem("studio.annotator", name);
  localStorage.setItem("studio.annotator", name);
  $("annotator").readOnly = true;  // decisions go under the name shown, never one being edited
  $("annotator").blur();
  $("label-begin").dataset.i18n = "change";
  $("label-begin").textContent = t("change");
  $("label-work").hidden = false;
  await loadPair();
}

function changeAnnotator() {
  state.annotator = "";
  state.pair = null;
  sessionStorage.removeItem("studio.annotator");
  $("annotator").readOnly = false;
  $("label-begin").dataset.i18n = "begin";
  $("label-begin").textContent = t("begin");
  $("label-work").hidden = true;
  $("annotator").focus();
}

async function loadPair(where = {}) {
  const q = new URLSearchParams({annotator: state.annotator});
  for (const [k, v] of Object.entries(where)) q.set(k, v);
  try {
    const data = await api("GET", `/api/label/pair?${q}`);
    showPair(data);
  } catch (err) {
    $("label-status").textContent = `${t("error")}: ${err.message}`;
  }
}

function showPair(data) {
  const p = data.progress;
  $("label-progress").max = p.total;
  $("label-progress").value = p.done;
  $("label-progress-text").textContent = `${p.done} / ${p.total} ${t("labelled")}`;
  state.pair = data.pair;
  $("label-pair").hidden = !data.pair;
  $("label-done").hidden = !!data.pair;
  if (!data.pair) return;
  $("label-pair-id").textContent = `#${data.pair.index + 1} · ${data.pair.pair_id}`;
  $("label-prompt").textContent = data.pair.prompt;
  $("label-a").textContent = data.pair.A;
  $("label-b").textContent = data.pair.B;
  const d = data.decision;
  document.querySelectorAll(".choice").forEach((b) => b.classList.toggle("chosen", !!d && d.choice === b.dataset.choice));
  $("label-tags").querySelectorAll("input").forEach((cb) => { cb.checked = !!d && d.tags.includes(cb.value); });
  $("label-note").value = d ? d.note : "";
  clearErrors($("label-pair"));
  // Keys go to the page, not to a button or field that kept the focus (Space or Enter would press it again).
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
}

async function decide(choice) {
  if (!state.pair || state.busy) return;  // one decision at a time: a held key labels nothing unseen
  state.busy = true;
  document.querySelectorAll(".choice").forEach((b) => { b.disabled = true; });
  const body = {annotator: state.annotator, pair_id: state.pair.pair_id, choice, tags: selectedTags(),
                note: $("label-note").value, decision_id: newId()};
  clearErrors($("label-pair"));
  $("label-status").textContent = t("saving");
  try {
    for (let attempt = 0; ; attempt++) {  // a retry sends the same decision_id: the journal keeps it once
      try {
        await api("POST", "/api/label", body);
        break;
      } catch (err) {
        if (err.status || attempt >= 2) {
          showError($("label-pair"), err);
          $("label-status").textContent = `${t("not_saved")}: ${err.message}`;
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    $("label-status").textContent = t("saved");
    await loadPair({after: state.pair.index});
  } finally {
    state.busy = false;
    document.querySelectorAll(".choice").forEach((b) => { b.disabled = false; });
  }
}

function move(step) {
  const total = Number($("label-progress").max);
  if (!state.pair) { if (step < 0 && total) loadPair({index: total - 1}); return; }
  const i = state.pair.index + step;
  if (i >= 0 && i < state.pair.total) loadPair({index: i});
}

function labelKeys(ev) {
  if ($("view-label").hidden || $("label-work").hidden || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = ev.target.tagName;
  if (tag === "INPUT" && ev.target.type !== "checkbox" || tag === "TEXTAREA" || tag === "SELECT") return;
  if (ev.repeat) return;
  if (CHOICE_KEYS[ev.key]) { ev.preventDefault(); decide(CHOICE_KEYS[ev.key]); }
  else if (ev.key === "ArrowLeft") { ev.preventDefault(); move(-1); }
  else if (ev.key === "ArrowRight") { ev.preventDefault(); move(+1); }
  else {
    const i = TAG_KEYS.indexOf(ev.key.toLowerCase());
    const boxes = $("label-tags").querySelectorAll("input");
    if (i >= 0 && i < boxes.length) { ev.preventDefault(); boxes[i].checked = !boxes[i].checked; }
  }
}

async function showAgreement() {
  const out = $("label-agreement");
  try {
    const a = await api("GET", "/api/label/agreement");
    const table = el("table");
    const head = el("tr");
    [t("a_pair"), t("shared"), t("raw"), t("kappa")].forEach((h) => head.append(el("th", h)));
    table.append(head);
    a.between.forEach((b) => {
      const tr = el("tr");
      [`${b.a} · ${b.b}`, b.shared, b.raw_agreement.toFixed(3), b.kappa.toFixed(3)].forEach((v) => tr.append(el("td", v)));
      table.append(tr);
    });
    const list = el("ul");
    a.disagreements.forEach((d) => list.append(el("li", `${d.pair_id}: ` + Object.entries(d.votes)
      .map(([who, pref]) => `${who} → ${pref}`).join(", "))));
    if (!a.disagreements.length) list.append(el("li", t("none")));
    out.replaceChildren(table, el("h4", t("disagreements")), list);
  } catch (err) {
    out.replaceChildren(el("p", `${t("error")}: ${err.message}`, "err"));
  }
}

async function exportLabels() {
  try {
    const r = await api("POST", "/api/label/export");
    $("label-export").textContent = `${t("exported")}: ${r.labelled}\n${r.sheet}\n` + JSON.stringify(r.counts);
  } catch (err) {
    $("label-export").textContent = `${t("error")}: ${err.message}`;
  }
}

// --- Report -------------------------------------------------------------------------------------------------------
async function setupReport() {
  const c = state.config;
  if (!c.reports.length) { $("report-missing").hidden = false; return; }
  const sel = $("report-choice");
  sel.replaceChildren(...c.reports.map((name, i) => { const o = el("option", name); o.value = i; return o; }));
  sel.addEventListener("change", () => loadReport(sel.value));
}

async function loadReport(i) {
  let r;
  try {
    r = await api("GET", `/api/reports/${Number(i)}`);
  } catch (err) {
    $("report-body").replaceChildren(el("p", `${t("error")}: ${err.message}`, "err"));
    $("report-samples").replaceChildren();
    return;
  }
  $("report-body").innerHTML = r.html;  // rendered by the server with every text escaped (report_page.py)
  const s = r.samples;
  $("samples-title").hidden = !s.rows.length;
  if (!s.rows.length) { $("report-samples").replaceChildren(); return; }
  const table = el("table", null, "samples");
  const head = el("tr");
  [t("prompt"), ...s.routes.map((x) => x.toUpperCase())].forEach((h) => head.append(el("th", h)));
  table.append(head);
  s.rows.forEach((row) => {
    const tr = el("tr");
    tr.append(el("td", row.prompt, "situation"));
    s.routes.forEach((route) => {
      const x = row.responses[route], td = el("td");
      if (x) {
        td.append(el("p", x.text, "hint"));
        const meta = [];
        if (x.rubric !== null && x.rubric !== undefined) meta.push(`rubric ${x.rubric.toFixed(2)}`);
        if (x.rm_score !== null && x.rm_score !== undefined) meta.push(`RM ${x.rm_score.toFixed(2)}`);
        td.append(el("p", meta.join(" · "), "muted"));
      }
      tr.append(td);
    });
    table.append(tr);
  });
  $("report-samples").replaceChildren(table);
}

// --- views --------------------------------------------------------------------------------------------------------
function route() {
  const view = (location.hash || "#try").slice(1);
  const known = ["try", "label", "report"].includes(view) ? view : "try";
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== `view-${known}`; });
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.id === `nav-${known}`));
  if (known === "report" && !state.reportsLoaded && state.config.reports.length) {
    state.reportsLoaded = true;
    loadReport(0);
  }
}

async function main() {
  $("lang-toggle").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("studio.lang", state.lang);
    applyLang();
  });
  state.config = await api("GET", "/api/config");
  applyLang();
  setupTry();
  setupLabel();
  setupReport();
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.ready = "1";
}

main();
