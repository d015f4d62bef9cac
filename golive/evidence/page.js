// pytest-html's filters and rows, in golive's words: its checkbox for "skipped" filters advisory
// findings, "xfailed" waived ones and "error" what golive could not see (golive/evidence/page.py)
document.addEventListener('DOMContentLoaded', () => {
  const labels = JSON.parse(document.getElementById('golive-labels').dataset.labels)
  document.querySelectorAll('.filters input[data-test-result]').forEach((box) => {
    const label = box.nextElementSibling
    const words = labels[box.dataset.testResult]
    box.hidden = label.hidden = words === undefined
    if (words !== undefined) {
      label.textContent = `${words},`
      box.disabled = words.startsWith('0 ')
    }
  })
  const relabel = () => document.querySelectorAll('td.col-result[data-golive]').forEach((cell) => {
    const text = cell.firstChild
    if (text && text.nodeValue !== cell.dataset.golive) text.nodeValue = cell.dataset.golive
  })
  // golive's filters of gate, severity and region: a row shows when it matches every choice made
  const choices = [...document.querySelectorAll('#golive-filters select')]
  const filter = () => document.querySelectorAll('#results-table tbody').forEach((body) => {
    const cell = body.querySelector('td.col-result[data-golive]')
    const shown = !cell || choices.every((c) => !c.value || cell.dataset[c.dataset.filter] === c.value)
    body.style.display = shown ? '' : 'none'
  })
  choices.forEach((choice) => choice.addEventListener('change', filter))
  const redraw = () => { relabel(); filter() }
  redraw()
  new MutationObserver(redraw).observe(document.body, { childList: true, subtree: true })
})
