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
  relabel()
  new MutationObserver(relabel).observe(document.body, { childList: true, subtree: true })
})
