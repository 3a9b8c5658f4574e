document.addEventListener('click', async (event) => {
  const button = event.target.closest('button.copy');
  if (!button) return;
  const html = button.dataset.html, text = button.dataset.text;
  try {
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      await navigator.clipboard.write([new ClipboardItem({
        'text/html': new Blob([html], {type: 'text/html'}),
        'text/plain': new Blob([text], {type: 'text/plain'})})]);
    } else {
      await navigator.clipboard.writeText(text);
    }
    button.textContent = 'Copied';
  } catch (error) {
    const area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    const ok = document.execCommand('copy'); area.remove();
    button.textContent = ok ? 'Copied' : 'Select and copy';
  }
  button.classList.add('done');
});
