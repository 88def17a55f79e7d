const quiz = document.querySelector('.mdbook-quiz');
if (/You answered/.test(quiz.innerText)) return 'done';
const radio = quiz.querySelector('input[type=radio]');
if (radio) radio.click();
for (const box of quiz.querySelectorAll('input[type=text], textarea')) {
  const set = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(box), 'value').set;
  set.call(box, 'an answer');
  box.dispatchEvent(new Event('input', {bubbles: true}));
}
const submit = quiz.querySelector('input[type=submit], button[type=submit]');
if (submit) submit.click();
return quiz.innerText;
