/** The project's date and time fields (components/DateField.vue, TimeField.vue): hints and what is wrong. */
export default {
  kk: {
    datePlaceholder: 'кк.аа.жжжж',
    timePlaceholder: 'сс:мм',
    problem: '{label}: {problem}',
    date: {
      incomplete: 'күнді кк.аа.жжжж түрінде толтырыңыз',
      noSuchDate: 'күнтізбеде мұндай күн жоқ',
      beforeMin: '{min} күнінен ерте болмауы керек',
      afterMax: '{max} күнінен кеш болмауы керек',
    },
    time: {
      incomplete: 'уақытты сс:мм түрінде толтырыңыз',
      noSuchTime: 'мұндай уақыт жоқ (00:00–23:59)',
    },
  },
  ru: {
    datePlaceholder: 'дд.мм.гггг',
    timePlaceholder: 'чч:мм',
    problem: '{label}: {problem}',
    date: {
      incomplete: 'введите дату в виде дд.мм.гггг',
      noSuchDate: 'такой даты нет в календаре',
      beforeMin: 'не раньше {min}',
      afterMax: 'не позже {max}',
    },
    time: {
      incomplete: 'введите время в виде чч:мм',
      noSuchTime: 'такого времени нет (00:00–23:59)',
    },
  },
  en: {
    datePlaceholder: 'dd/mm/yyyy',
    timePlaceholder: 'hh:mm',
    problem: '{label}: {problem}',
    date: {
      incomplete: 'enter the date as dd/mm/yyyy',
      noSuchDate: 'the calendar has no such day',
      beforeMin: 'not before {min}',
      afterMax: 'not after {max}',
    },
    time: {
      incomplete: 'enter the time as hh:mm',
      noSuchTime: 'no such time (00:00–23:59)',
    },
  },
};
