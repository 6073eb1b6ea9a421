// Herald portal: the little behaviour htmx does not give. Loaded as a file because the page's
// Content-Security-Policy allows no inline script.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const source = document.getElementById(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      button.textContent = "Copied";
    });
  }
});

// Event types in the endpoint form: a group's box ticks or clears its members, a member keeps its
// group's box in step, and choosing any type selects "only the types chosen".
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") {
    return;
  }
  const form = box.form;
  if (box.dataset.group) {
    form.querySelectorAll(`[data-member="${box.dataset.group}"]`).forEach((m) => {
      m.checked = box.checked;
    });
  } else if (box.dataset.member) {
    const members = form.querySelectorAll(`[data-member="${box.dataset.member}"]`);
    const group = form.querySelector(`[data-group="${box.dataset.member}"]`);
    group.checked = Array.from(members).every((m) => m.checked);
  } else {
    return;
  }
  const some = form.querySelector("#scope-some");
  if (some && box.checked) {
    some.checked = true;
  }
});
