/** Texts shared by every form's error placement (issue 16, point 4). */
export default {
  kk: {
    fieldInvalid: 'Бұл өрісті тексеріңіз.',
    summary: 'Белгіленген өрістерді тексеріңіз:',
  },
  ru: {
    fieldInvalid: 'Проверьте это поле.',
    summary: 'Проверьте отмеченные поля:',
  },
  en: {
    fieldInvalid: 'Check this field.',
    summary: 'Check the marked fields:',
  },
};
